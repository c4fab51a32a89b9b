package dev.vmforge.os;

import dev.vmforge.os.pom.ApplicationConfig;
import dev.vmforge.os.pom.OperatingSystemConfig;
import dev.vmforge.os.pom.ServiceConfig;
import dev.vmforge.os.pom.UserConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigurationDefaultsTest {
    @TempDir
    Path base;

    private ConfigurationReader reader(String artifactId, String version) {
        return new ConfigurationReader(new ProjectContext(base, artifactId, version, artifactId + "-" + version, "pom"));
    }

    @Test
    void operatingSystemDefaults() {
        OperatingSystem os = reader("demo", "1.0").readOperatingSystem(null);
        assertEquals("demo", os.hostName());
        assertTrue(os.distribution().usesHostSources());
        assertEquals(List.of("main"), os.distribution().components());
        assertEquals("amd64", os.distribution().architecture());
        assertEquals(Optional.empty(), os.distribution().keyring());
        assertEquals("linux-image-cloud-amd64", os.kernel());
        assertEquals(List.of(), os.kernelArguments());
        assertEquals(OperatingSystem.Base.AUTO, os.base());
        assertEquals(List.of(), os.packages());
        assertFalse(os.installRecommends());
        assertEquals(List.of(), os.users());
        assertEquals(List.of(), os.files());
        assertEquals(Optional.empty(), os.application());
        assertEquals(List.of(), os.services());
        assertEquals(OperatingSystem.Network.DHCP, os.network());
        assertEquals("UTC", os.timezone());
    }

    @Test
    void hostNameIsTheArtifactIdMadeValid() {
        assertEquals("my-app-server", reader("My_App.Server", "1").readOperatingSystem(null).hostName());
        assertEquals("app", reader("--app--", "1").readOperatingSystem(null).hostName());
        assertEquals(63, reader("a".repeat(80), "1").readOperatingSystem(null).hostName().length());
    }

    @Test
    void serviceDefaults() {
        OperatingSystemConfig c = new OperatingSystemConfig();
        ServiceConfig service = new ServiceConfig();
        service.name = "hello";
        service.command = "/bin/busybox sh -c 'echo HELLO'";
        c.services.add(service);
        Service read = reader("demo", "1").readOperatingSystem(c).services().get(0);
        assertEquals(new Service("hello", "/bin/busybox sh -c 'echo HELLO'", "root", "/",
                java.util.Map.of(), Service.Restart.ALWAYS), read);
    }

    @Test
    void userDefaultsAllocateUidsFrom1000AroundExplicitOnes() {
        OperatingSystemConfig c = new OperatingSystemConfig();
        UserConfig first = new UserConfig();
        first.name = "first";
        UserConfig taken = new UserConfig();
        taken.name = "taken";
        taken.uid = 1000;
        c.users.addAll(List.of(first, taken));
        List<User> users = reader("demo", "1").readOperatingSystem(c).users();
        assertEquals(new User("first", 1001, 1001, "/home/first", "/bin/sh", List.of()), users.get(0));
        assertEquals(new User("taken", 1000, 1000, "/home/taken", "/bin/sh", List.of()), users.get(1));
    }

    @Test
    void applicationDefaults() {
        OperatingSystemConfig c = new OperatingSystemConfig();
        c.application = new ApplicationConfig();
        Application application = reader("demo", "1").readOperatingSystem(c).application().orElseThrow();
        assertEquals(new Application("demo", "/opt/app", Optional.empty(), List.of()), application);
    }

    @Test
    void imageDefaults() {
        ImageSpec image = reader("demo", "1").readImage(null);
        assertEquals(new ImageSpec(ImageSpec.Format.QCOW2, OptionalLong.empty(), ImageSpec.PartitionTable.GPT,
                ImageSpec.Firmware.BIOS_EFI, ImageSpec.FileSystemType.EXT4, "root"), image);
    }

    @Test
    void dockerDefaultsNameTheImageArtifactIdColonVersionInLowerCase() {
        DockerSpec docker = reader("Demo", "1.0-SNAPSHOT").readDocker(null);
        assertEquals("demo:1.0-snapshot", docker.name());
        assertEquals(DockerSpec.Format.DOCKER, docker.format());
        assertEquals(List.of(), docker.entrypoint());
        assertEquals(List.of(), docker.ports());
        assertTrue(docker.environment().isEmpty());
        assertTrue(docker.labels().isEmpty());
    }

    @Test
    void vmDefaults() {
        assertEquals(new VmSpec(256, 1, false, List.of(), List.of(), "auto", false, false),
                reader("demo", "1").readVm(null));
    }
}
