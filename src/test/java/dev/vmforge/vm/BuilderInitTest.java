package dev.vmforge.vm;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BuilderInitTest {
    @Test
    void initFollowsTheDocumentedContract() {
        String init = BuilderInit.script();
        assertTrue(init.startsWith("#!/bin/busybox sh\n"));
        assertTrue(!init.contains("-t 9p"), "the cloud kernel has no 9p: the exchange folder travels on disks");
        assertTrue(init.contains(BuilderInit.XCHG_OUT_ARGUMENT), "the exchange disk is named on the command line");
        assertTrue(init.contains("tar -cf \"$xchg_out\" xchg " + BuilderInit.EXIT_STATUS_FILE),
                "the folder, then the exit status last, go onto the exchange disk");
        assertTrue(init.contains("/" + BuilderInit.MODULE_LOAD_ORDER));
        assertTrue(init.contains("tee /xchg/" + BuilderInit.BUILD_LOG_FILE));
        assertTrue(init.trim().endsWith("poweroff -f"));
        assertTrue(BuilderInit.KERNEL_COMMAND_LINE.contains("builder.script=/xchg/build.sh"));
        assertTrue(BuilderInit.KERNEL_COMMAND_LINE.contains("console=ttyS0") && BuilderInit.KERNEL_COMMAND_LINE.contains("panic=-1"));
    }
}
