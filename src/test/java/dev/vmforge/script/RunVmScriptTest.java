package dev.vmforge.script;

import dev.vmforge.BuildException;
import dev.vmforge.os.VmSpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RunVmScriptTest {
    @TempDir
    Path root;

    private Path kernel;
    private Path initrd;
    private Path cachedDisk;
    private Path data;
    private Path odd;
    private Path output;
    private FakeQemu fake;

    @BeforeEach
    void files() throws IOException {
        Path cache = Files.createDirectories(root.resolve("cache/store/abc-system"));
        kernel = Files.write(cache.resolve("vmlinuz"), new byte[]{1, 2, 3});
        initrd = Files.write(cache.resolve("initrd.img"), new byte[]{4, 5, 6});
        cachedDisk = Files.write(cache.resolve("disk.qcow2"), "cached disk bytes".getBytes());
        Files.setLastModifiedTime(cachedDisk, FileTime.fromMillis(1_000_000_000_000L));
        data = Files.createDirectories(root.resolve("project/data"));
        odd = Files.createDirectories(root.resolve("project/with space, comma and 'quote'"));
        output = root.resolve("project/target/vm");
        fake = new FakeQemu(root.resolve("fake"));
    }

    private VmSpec vm(boolean persistent, boolean fullBoot, List<VmSpec.PortForward> forwards) {
        return new VmSpec(512, 2, false, forwards,
                List.of(new VmSpec.Share(data, "/mnt/data", false), new VmSpec.Share(odd, "/srv/odd", true)),
                "auto", persistent, fullBoot);
    }

    private RunVmScriptSpec spec(VmSpec vm) {
        return new RunVmScriptSpec("demo", kernel, initrd, cachedDisk, "root=UUID=1234 console=ttyS0 panic=-1 quiet",
                vm, Optional.empty(), "qemu-system-x86_64", "qemu-img",
                Optional.of(RunVmScriptSpec.ProbeFirmware.standard()));
    }

    private Path write(VmSpec vm) {
        return RunVmScript.write(spec(vm), output);
    }

    private static String valueAfter(List<String> args, String option) {
        int i = args.indexOf(option);
        assertTrue(i >= 0 && i + 1 < args.size(), option + " missing from " + args);
        return args.get(i + 1);
    }

    private static List<String> valuesAfter(List<String> args, String option) {
        List<String> values = new java.util.ArrayList<>();
        for (int i = 0; i + 1 < args.size(); i++) {
            if (args.get(i).equals(option)) {
                values.add(args.get(i + 1));
            }
        }
        return values;
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    @Test
    void everyVariantPassesDashAndBashSyntaxChecks() throws Exception {
        List<VmSpec> variants = List.of(vm(false, false, List.of(new VmSpec.PortForward(8080, 80))),
                vm(true, false, List.of()), vm(false, true, List.of(new VmSpec.PortForward(2222, 22))),
                new VmSpec(256, 1, true, List.of(), List.of(), "tcg", false, false));
        for (VmSpec variant : variants) {
            Path script = write(variant);
            assertTrue(Files.isExecutable(script));
            for (String shell : List.of("dash", "bash")) {
                Process check = new ProcessBuilder(shell, "-n", script.toString()).redirectErrorStream(true).start();
                String messages = new String(check.getInputStream().readAllBytes());
                assertEquals(0, check.waitFor(), shell + " -n failed for " + variant + ": " + messages);
            }
        }
    }

    @Test
    void theScriptBootsTheKernelOnAThrowAwayOverlayWithSharesPortsAndExtraArguments() throws Exception {
        Path script = write(vm(false, false, List.of(new VmSpec.PortForward(18080, 80),
                new VmSpec.PortForward("0.0.0.0", 12222, 22))));
        String diskBefore = sha256(cachedDisk);
        FileTime timeBefore = Files.getLastModifiedTime(cachedDisk);

        FakeQemu.Result result = fake.run(script, null, Map.of("VM_ACCEL", "tcg", "FAKE_QEMU_STATUS", "7"),
                "-s", "-monitor", "telnet::4444,server,nowait");

        assertEquals(7, result.status(), "the script execs QEMU, so QEMU's status is the script's: " + result.output());
        List<String> args = fake.qemuArguments();
        assertEquals(kernel.toString(), valueAfter(args, "-kernel"));
        assertEquals(initrd.toString(), valueAfter(args, "-initrd"));
        String append = valueAfter(args, "-append");
        assertTrue(append.startsWith("root=UUID=1234 console=ttyS0 panic=-1 quiet "), append);
        assertTrue(append.contains(" vmforge.share=" + MountTags.forPath(data) + ":/mnt/data:ro"), append);
        assertTrue(append.contains(" vmforge.share=" + MountTags.forPath(odd) + ":/srv/odd"), append);
        assertFalse(append.contains("/srv/odd:ro"), "a writable share is mounted read-write: " + append);
        assertEquals("512", valueAfter(args, "-m"));
        assertEquals("2", valueAfter(args, "-smp"));
        assertEquals("tcg", valueAfter(args, "-accel"));
        assertEquals("max", valueAfter(args, "-cpu"));
        assertTrue(args.contains("-nographic"));
        assertEquals("user,id=net0,hostfwd=tcp:127.0.0.1:18080-:80,hostfwd=tcp:0.0.0.0:12222-:22",
                valueAfter(args, "-netdev"), "listening on the loopback unless an address is given");
        List<String> devices = valuesAfter(args, "-device");
        assertTrue(devices.contains("virtio-net-pci,netdev=net0,romfile="), devices.toString());
        assertTrue(devices.contains("virtio-rng-pci"), devices.toString());
        assertEquals(List.of(
                "local,path=" + data + ",mount_tag=" + MountTags.forPath(data) + ",security_model=none,readonly=on",
                "local,path=" + odd.toString().replace(",", ",,") + ",mount_tag=" + MountTags.forPath(odd)
                        + ",security_model=none"), valuesAfter(args, "-virtfs"));
        assertEquals(List.of("-s", "-monitor", "telnet::4444,server,nowait"), args.subList(args.size() - 3, args.size()),
                "the script's own arguments come last, unchanged");

        // the overlay: made by qemu-img on the cached disk, in a temporary directory under TMPDIR
        List<String> img = fake.qemuImgArguments();
        Path overlay = Path.of(img.get(img.size() - 1));
        assertEquals(List.of("create", "-q", "-f", "qcow2", "-F", "qcow2", "-b", cachedDisk.toString()),
                img.subList(0, img.size() - 1));
        assertTrue(overlay.startsWith(fake.tmp), overlay + " is not under TMPDIR");
        String drive = valueAfter(args, "-drive");
        assertEquals("file=" + overlay.toString().replace(",", ",,") + ",if=virtio,format=qcow2", drive);
        assertEquals(diskBefore, sha256(cachedDisk), "the cached disk was modified");
        assertEquals(timeBefore, Files.getLastModifiedTime(cachedDisk), "the cached disk was touched");

        // removed by the background process once QEMU (the script's process) has gone
        for (int i = 0; i < 100 && Files.exists(overlay.getParent()); i++) {
            Thread.sleep(100);
        }
        assertFalse(Files.exists(overlay.getParent()), "the throw-away overlay was not removed");
    }

    @Test
    void runsUnderBashToo() throws Exception {
        Path script = write(vm(false, false, List.of()));
        FakeQemu.Result result = fake.run(script, "bash", Map.of("VM_ACCEL", "tcg"), "-snapshot");
        assertEquals(0, result.status(), result.output());
        List<String> args = fake.qemuArguments();
        assertEquals("-snapshot", args.get(args.size() - 1));
        assertEquals("user,id=net0", valueAfter(args, "-netdev"));
    }

    @Test
    void aTakenHostPortStopsTheScriptBeforeQemu() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Path script = write(vm(false, false, List.of(new VmSpec.PortForward(port, 80))));
            FakeQemu.Result result = fake.run(script, null, Map.of("VM_ACCEL", "tcg"));
            assertNotEquals(0, result.status());
            assertTrue(result.output().contains("host port " + port + " is already in use"), result.output());
            assertFalse(fake.qemuRan(), "QEMU was started although the port is taken");
            assertTrue(fake.qemuImgArguments().isEmpty(), "an overlay was made although the run cannot start");
        }
    }

    @Test
    void aFreeHostPortIsNotReportedTaken() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        Path script = write(vm(false, false, List.of(new VmSpec.PortForward(port, 80))));
        FakeQemu.Result result = fake.run(script, null, Map.of("VM_ACCEL", "tcg"));
        assertEquals(0, result.status(), result.output());
        assertTrue(fake.qemuRan());
    }

    @Test
    void hostPortZeroIsAFreePortChosenAndPrintedAtStart() throws Exception {
        Path script = write(vm(false, false, List.of(new VmSpec.PortForward(0, 80), new VmSpec.PortForward(0, 22))));
        FakeQemu.Result result = fake.run(script, null, Map.of("VM_ACCEL", "tcg"));
        assertEquals(0, result.status(), result.output());
        java.util.regex.Matcher netdev = java.util.regex.Pattern
                .compile("user,id=net0,hostfwd=tcp:127\\.0\\.0\\.1:(\\d+)-:80,hostfwd=tcp:127\\.0\\.0\\.1:(\\d+)-:22")
                .matcher(valueAfter(fake.qemuArguments(), "-netdev"));
        assertTrue(netdev.matches(), valueAfter(fake.qemuArguments(), "-netdev"));
        int first = Integer.parseInt(netdev.group(1));
        int second = Integer.parseInt(netdev.group(2));
        assertTrue(first >= 49152 && second >= 49152 && first != second, first + ", " + second);
        assertTrue(result.output().contains("forwarding 127.0.0.1:" + first + " -> guest port 80"), result.output());
        try (ServerSocket free = new ServerSocket(first, 1, InetAddress.getByName("127.0.0.1"))) {
            assertEquals(first, free.getLocalPort(), "the chosen port was free");
        }
    }

    @Test
    void anUnknownAcceleratorInTheEnvironmentIsRefused() throws Exception {
        Path script = write(vm(false, false, List.of()));
        FakeQemu.Result result = fake.run(script, null, Map.of("VM_ACCEL", "warp"));
        assertNotEquals(0, result.status());
        assertTrue(result.output().contains("VM_ACCEL=warp"), result.output());
        assertFalse(fake.qemuRan());
    }

    @Test
    void autoUsesKvmWhenTheProbeGuestRunsAndRemembersTheVerdict() throws Exception {
        assumeKvmCandidate();
        Path script = write(vm(false, false, List.of()));
        Path cacheHome = root.resolve("xdg-cache");
        Map<String, String> env = Map.of("XDG_CACHE_HOME", cacheHome.toString(), "FAKE_PROBE", "ok");

        FakeQemu.Result first = fake.run(script, null, env);
        assertEquals(0, first.status(), first.output());
        assertEquals("kvm", valueAfter(fake.qemuArguments(), "-accel"));
        assertEquals("host", valueAfter(fake.qemuArguments(), "-cpu"));
        assertEquals(1, fake.probeCount());
        String probe = Files.readAllLines(fake.logs.resolve("probes")).get(0);
        assertTrue(probe.contains("-accel kvm") && probe.contains(output.resolve(RunVmScript.PROBE_FIRMWARE_NAME)
                .toString()), probe);
        String bootId = Files.readString(Path.of("/proc/sys/kernel/random/boot_id")).trim();
        assertEquals("works", Files.readString(cacheHome.resolve("vm-maven-plugin/kvm-probe-" + bootId)).trim());

        FakeQemu.Result second = fake.run(script, null, env);
        assertEquals(0, second.status(), second.output());
        assertEquals(1, fake.probeCount(), "the kept verdict was not used");
        assertEquals("kvm", valueAfter(fake.qemuArguments(), "-accel"));
    }

    @Test
    void autoFallsBackToTcgWhenTheProbeGuestHangs() throws Exception {
        assumeKvmCandidate();
        Path script = write(vm(false, false, List.of()));
        Map<String, String> env = Map.of("XDG_CACHE_HOME", root.resolve("xdg-cache").toString(),
                "FAKE_PROBE", "hang", "VM_ACCEL_PROBE_SECONDS", "1");
        long start = System.nanoTime();
        FakeQemu.Result result = fake.run(script, null, env);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        assertEquals(0, result.status(), result.output());
        assertEquals("tcg", valueAfter(fake.qemuArguments(), "-accel"));
        assertTrue(result.output().contains("did not run under kvm within 1 s"), result.output());
        assertTrue(seconds < 30, "the hanging probe was not stopped: " + seconds + " s");

        // VM_ACCEL=kvm forces KVM without probing
        FakeQemu.Result forced = fake.run(script, null, Map.of("VM_ACCEL", "kvm", "FAKE_PROBE", "hang"));
        assertEquals(0, forced.status(), forced.output());
        assertEquals("kvm", valueAfter(fake.qemuArguments(), "-accel"));
        assertEquals(1, fake.probeCount());
    }

    private static void assumeKvmCandidate() {
        Path kvm = Path.of("/dev/kvm");
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64")
                && Files.isReadable(kvm) && Files.isWritable(kvm), "needs a Linux x86-64 host with an openable /dev/kvm");
    }

    @Test
    void aPersistentOverlayIsKeptInTheOutputDirectoryAndTiedToItsBaseDisk() throws Exception {
        Path script = write(vm(true, false, List.of()));
        Path overlay = output.resolve(RunVmScript.PERSISTENT_OVERLAY_NAME);

        assertEquals(0, fake.run(script, null, Map.of("VM_ACCEL", "tcg")).status());
        assertTrue(Files.exists(overlay));
        assertEquals("file=" + overlay + ",if=virtio,format=qcow2", valueAfter(fake.qemuArguments(), "-drive"));
        int created = fake.qemuImgArguments().size();
        Files.writeString(overlay, "guest changes");

        assertEquals(0, fake.run(script, null, Map.of("VM_ACCEL", "tcg")).status());
        assertEquals(created, fake.qemuImgArguments().size(), "the overlay was made again");
        assertEquals("guest changes", Files.readString(overlay));

        // the system is rebuilt: another cached disk; the old overlay must not be used on it
        Path rebuilt = Files.writeString(cachedDisk.resolveSibling("disk2.qcow2"), "new system");
        Path newScript = RunVmScript.write(new RunVmScriptSpec("demo", kernel, initrd, rebuilt, "root=UUID=1",
                vm(true, false, List.of()), Optional.empty(), "qemu-system-x86_64", "qemu-img", Optional.empty()), output);
        Files.delete(fake.logs.resolve("qemu-args"));
        FakeQemu.Result stale = fake.run(newScript, null, Map.of("VM_ACCEL", "tcg"));
        assertNotEquals(0, stale.status());
        assertTrue(stale.output().contains("Delete " + overlay), stale.output());
        assertFalse(fake.qemuRan());
        assertEquals("guest changes", Files.readString(overlay));
    }

    @Test
    void fullBootUsesTheDisksBootloaderAndPassesSharesThroughFwCfg() throws Exception {
        Path script = write(vm(false, true, List.of()));
        assertEquals(0, fake.run(script, null, Map.of("VM_ACCEL", "tcg")).status());
        List<String> args = fake.qemuArguments();
        assertFalse(args.contains("-kernel") || args.contains("-initrd") || args.contains("-append"), args.toString());
        String fwCfg = valueAfter(args, "-fw_cfg");
        assertTrue(fwCfg.startsWith("name=" + RunVmScript.FW_CFG_SHARES + ",string=vmforge.share="), fwCfg);
        assertEquals(2, valuesAfter(args, "-virtfs").size());
    }

    @Test
    void aMissingShareSourceFailsAtGenerationAndAtRunTime() throws Exception {
        Path gone = root.resolve("gone");
        VmSpec vm = new VmSpec(256, 1, false, List.of(), List.of(new VmSpec.Share(gone, "/mnt/gone", false)),
                "tcg", false, false);
        BuildException e = assertThrows(BuildException.class, () -> write(vm));
        assertTrue(e.getMessage().contains("<vm><shares><share> #1") && e.getMessage().contains(gone.toString()),
                e.getMessage());

        Files.createDirectories(gone);
        Path script = write(vm);
        Files.delete(gone);
        FakeQemu.Result result = fake.run(script, null, Map.of());
        assertNotEquals(0, result.status());
        assertTrue(result.output().contains("the shared directory " + gone), result.output());
        assertFalse(fake.qemuRan());
    }

    @Test
    void aShareTargetWithABlankIsRefused() {
        VmSpec vm = new VmSpec(256, 1, false, List.of(), List.of(new VmSpec.Share(data, "/mnt/my data", false)),
                "tcg", false, false);
        BuildException e = assertThrows(BuildException.class, () -> write(vm));
        assertTrue(e.getMessage().contains("/mnt/my data"), e.getMessage());
    }

    @Test
    void theHeaderSaysWhatRunsHowToQuitAndTheEnvironment() throws Exception {
        String text = Files.readString(write(vm(false, false, List.of(new VmSpec.PortForward(8080, 80)))));
        List<String> header = text.lines().takeWhile(l -> l.startsWith("#")).toList();
        String joined = String.join("\n", header);
        for (String expected : List.of("Ctrl-a x", "VM_ACCEL=", "VM_QEMU ", "VM_QEMU_IMG", "TMPDIR", "127.0.0.1:8080 -> guest port 80",
                cachedDisk.toString(), kernel.toString(), data + " -> /mnt/data (read-only)", "./run-vm.sh -s")) {
            assertTrue(joined.contains(expected), "header lacks " + expected + ":\n" + joined);
        }
        try (Stream<Path> files = Files.list(output)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "a temporary file was left");
        }
    }
}
