package dev.vmforge.registry;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;

/** Small images of random layers for the registry tests: every call with the same seed gives the same bytes. */
final class TestImages {
    private TestImages() {
    }

    static ImageContent image(long seed, int... layerSizes) {
        Random random = new Random(seed);
        List<Blob> layers = new java.util.ArrayList<>();
        for (int size : layerSizes) {
            byte[] bytes = new byte[size];
            random.nextBytes(bytes);
            layers.add(Blob.of(MediaTypes.DOCKER_LAYER_GZIP, bytes));
        }
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Entrypoint\":[\"/bin/true\"]},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]},\"seed\":" + seed + "}").getBytes(StandardCharsets.UTF_8);
        Blob configBlob = Blob.of(MediaTypes.DOCKER_CONFIG, config);
        List<Blob> blobs = new java.util.ArrayList<>(List.of(configBlob));
        blobs.addAll(layers);
        return ImageContent.of(ImageManifest.docker(configBlob.descriptor(),
                layers.stream().map(Blob::descriptor).toList()), blobs);
    }
}
