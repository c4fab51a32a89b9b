package dev.vmforge.vm;

import dev.vmforge.BuildException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ElfDynamicInfoTest {

    @Test
    void readsTheHostsLsLikeTheLoaderWould() throws Exception {
        Path ls = Path.of("/bin/ls");
        assumeTrue(Files.isRegularFile(ls), "needs a Linux host with /bin/ls");
        byte[] bytes = Files.readAllBytes(ls);
        assumeTrue(bytes.length > 5 && bytes[4] == 2, "needs a 64-bit /bin/ls");
        ElfDynamicInfo info = ElfDynamicInfo.read("/bin/ls", bytes);
        assertTrue(info.needed().contains("libc.so.6"), info.needed().toString());
        assertTrue(info.interpreter().orElseThrow().contains("ld-linux"), info.interpreter().toString());
        assertTrue(info.soname().isEmpty());
    }

    @Test
    void readsNeededSonameAndInterpreterOfASyntheticFile() {
        byte[] elf = ElfFixture.elf("/lib64/ld-linux-x86-64.so.2", "libfoo.so.1", List.of("libbar.so.2", "libc.so.6"));
        ElfDynamicInfo info = ElfDynamicInfo.read("libfoo", elf);
        assertEquals(List.of("libbar.so.2", "libc.so.6"), info.needed());
        assertEquals(Optional.of("libfoo.so.1"), info.soname());
        assertEquals(Optional.of("/lib64/ld-linux-x86-64.so.2"), info.interpreter());
    }

    @Test
    void aStaticExecutableNeedsNothing() {
        ElfDynamicInfo info = ElfDynamicInfo.read("busybox", ElfFixture.elf(null, null, List.of()));
        assertEquals(List.of(), info.needed());
        assertTrue(info.interpreter().isEmpty());
    }

    @Test
    void refusesScriptsAndTruncatedFiles() {
        byte[] script = "#!/bin/sh\necho hi\n".getBytes();
        assertFalse(ElfDynamicInfo.isElf(script));
        assertThrows(BuildException.class, () -> ElfDynamicInfo.read("script", script));
        byte[] elf = ElfFixture.elf("/lib64/ld-linux-x86-64.so.2", null, List.of("libc.so.6"));
        byte[] truncated = Arrays.copyOf(elf, 150);
        BuildException e = assertThrows(BuildException.class, () -> ElfDynamicInfo.read("cut", truncated));
        assertTrue(e.getMessage().contains("cut"), e.getMessage());
    }
}
