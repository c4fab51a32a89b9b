package dev.vmforge.registry;

import org.apache.commons.io.input.BoundedInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** A blob's bytes, readable from any offset as often as needed (an upload that is retried reads them again). */
@FunctionalInterface
public interface BlobSource {
    /** The bytes from {@code offset} to the end. */
    InputStream open(long offset) throws IOException;

    static BlobSource of(byte[] bytes) {
        byte[] copy = bytes.clone();
        return offset -> new ByteArrayInputStream(copy, (int) offset, copy.length - (int) offset);
    }

    static BlobSource ofFile(Path file) {
        return offset -> {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            return Channels.newInputStream(channel.position(offset));
        };
    }

    /** {@code length} bytes of {@code file} from {@code start}: a file inside an uncompressed archive. */
    static BlobSource ofRegion(Path file, long start, long length) {
        return offset -> {
            FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
            return BoundedInputStream.builder().setInputStream(Channels.newInputStream(channel.position(start + offset)))
                    .setMaxCount(length - offset).setPropagateClose(true).get();
        };
    }
}
