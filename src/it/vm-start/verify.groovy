// vm:start and vm:stop around a failsafe IT with two VMs, then the failure paths: each ends with a clear message and
// no QEMU left. Builds 1-4 are invoker.properties'; the rest run Maven from here, to take a port or kill Maven.
import dev.vmforge.it.ProcessesLeft

import java.util.concurrent.TimeUnit

String buildLog = new File(basedir, "build.log").text
// each build starts with this line; a failed build's message comes after its BUILD FAILURE line
List<String> builds = (buildLog.split(/\[INFO\] Scanning for projects\.\.\./) as List).drop(1)
assert builds.size() == 4: "expected four builds in build.log"

// 1. two VMs, free ports, the IT reaches both; each listens on its own address; vm:stop powers both off
String passing = builds[0]
assert passing =~ /VM 'first': set vm\.first\.host=127\.0\.0\.1, vm\.first\.port\.80=\d+/
assert passing =~ /VM 'second': set vm\.second\.host=127\.0\.0\.2, vm\.second\.port\.80=\d+/
for (String vm : ["first", "second"]) {
    def ready = passing =~ /VM '${vm}': ready in ([0-9.]+) s \(([^)]*)\)/
    assert ready.find(): "VM ${vm} was not reported ready:\n${passing}"
    println "[verify] VM ${vm}: ready in ${ready.group(1)} s (${ready.group(2)})"
    assert passing =~ /TwoVmsIT: ${vm} answered 200 at http:\/\/127\.0\.0\.[12]:\d+\/index\.html; ss -ltn: \[127\.0\.0\.[12]:\d+\]/
    assert passing.contains("VM '${vm}': powered off in"): "vm:stop did not power ${vm} off:\n${passing}"
    assert new File(basedir, "target/vm/console-${vm}.log").text.contains("vmforge: system ready")
}
assert passing.contains("Tests run: 1, Failures: 0, Errors: 0, Skipped: 0")

// 2. a failing IT ends the build before vm:stop: Maven's exit ends the VM
String failing = builds[1]
assert failing.contains("VM 'first': ready in")
assert failing.contains("failing on purpose (-Pfail-before-stop)")
assert !failing.contains("powered off"): "vm:stop ran, so this tests nothing:\n${failing}"

// 3. a console line that never comes
String neverReady = builds[2]
assert neverReady.contains("VM 'default': the VM was not ready within 8 s (<start><timeout>): still waiting for a"
        + " console line matching /this line never appears/; the VM was ended; console log: "
        + new File(basedir, "target/vm/console-default.log").path): neverReady
assert neverReady.contains("last lines of the console:")
assert neverReady.contains("waiting for a console line matching /this line never appears/: 5 s of 8 s"): "no progress line"

// 4. the guest powers off during the wait
String powersOff = builds[3]
assert powersOff =~ /VM 'default': QEMU exited with status 0 \(the guest powered off, rebooted or panicked\) before the VM was ready; it was waiting for HTTP 2xx from http:\/\/127\.0\.0\.1:\d+\/cgi-bin\/poweroff \(guest port 80\)/
assert powersOff.contains("reboot: Power down"): "the console's last lines are not in the message:\n${powersOff}"

List<String> left = ProcessesLeft.naming(basedir, 10)
assert left.isEmpty(): "processes of builds 1-4 left running: ${left}"

// --- Maven run from here, with the invoker's settings and local repository
File root = basedir.parentFile.parentFile.parentFile
settings = new File(basedir, "target/nested-settings.xml")
String repositoryUrl = new File(System.getProperty("maven.repo.local",
        System.getProperty("user.home") + "/.m2/repository")).toURI().toString()
settings.text = new File(root, "src/it/settings.xml").text.replace("@localRepositoryUrl@", repositoryUrl)
String plugin = "dev.vmforge:vm-maven-plugin:${new File(root, 'pom.xml').text.find(/<version>([^<]+)<\/version>/) { all, v -> v }}"

Process maven(List<String> arguments, File output) {
    List<String> command = [new File(System.getProperty("maven.home"), "bin/mvn").path, "-B", "-s", settings.path,
                            "-Dmaven.repo.local=${localRepositoryPath}".toString(), "-f", "pom.xml"] + arguments
    return new ProcessBuilder(command).directory(basedir).redirectErrorStream(true).redirectOutput(output)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start()
}

String awaitOutput(File file, java.util.regex.Pattern pattern, Process process, int seconds) {
    long deadline = System.nanoTime() + seconds * 1_000_000_000L
    while (System.nanoTime() < deadline) {
        String text = file.exists() ? file.text : ""
        def match = pattern.matcher(text)
        if (match.find()) {
            return match.groupCount() > 0 ? match.group(1) : match.group()
        }
        assert process.alive: "Maven ended early:\n${text}"
        Thread.sleep(200)
    }
    throw new AssertionError("no ${pattern} in ${file} within ${seconds} s:\n${file.text}")
}

/** Sends the signal to Maven, waits for it to end, and returns the processes of the build left after a while. */
List<String> killMaven(Process maven, String signal) {
    assert ["kill", "-${signal}".toString(), "${maven.pid()}".toString()].execute().waitFor() == 0
    assert maven.waitFor(30, TimeUnit.SECONDS): "Maven did not end on SIG${signal}"
    return ProcessesLeft.naming(basedir, 15)
}

// 5. a fixed host port that is taken: refused before QEMU starts, naming the forwarding
int takenPort = Integer.parseInt(new File(basedir, "pom.xml").text.find(/<portForwarding>([1-9]\d*):80/) { all, p -> p })
File takenLog = new File(basedir, "target/port-taken.log")
new ServerSocket(takenPort, 1, InetAddress.getByName("127.0.0.1")).withCloseable {
    Process build = maven(["-Pport-taken", "${plugin}:start".toString()], takenLog)
    assert build.waitFor(300, TimeUnit.SECONDS)
    assert build.exitValue() != 0
}
assert takenLog.text.contains("<vm><portForwardings><portForwarding>[1] '${takenPort}:80': host port ${takenPort} on"
        + " 127.0.0.1 is not free"): takenLog.text
assert !takenLog.text.contains("VM 'default': started"): "QEMU started although the port is taken"

// 6. kill -9 of Maven while vm:start waits for the VM: the leash ends QEMU
File killedLog = new File(basedir, "target/killed.log")
Process waiting = maven(["-Pnever-ready", "-Dnever.timeout=600", "${plugin}:start".toString()], killedLog)
try {
    awaitOutput(killedLog, ~/waiting for a console line matching \/this line never appears\/: \d+ s of 600 s \(system up\)/,
            waiting, 300)
    left = killMaven(waiting, "KILL")
    assert left.isEmpty(): "QEMU outlived Maven killed with SIGKILL: ${left}"
    println "[verify] kill -9 of Maven during vm:start: no QEMU left"
} finally {
    waiting.destroyForcibly()
}

// 7. vm:run (its kernel booted directly): the console on Maven's output, the POM's port forwarded; kill -TERM of
// Maven ends the VM
File runLog = new File(basedir, "target/run.log")
Process running = maven(["-Dvm.start.boot=direct", "${plugin}:run".toString()], runLog)
try {
    String port = awaitOutput(runLog, ~/VM 'default': running, forwarding 127\.0\.0\.1:(\d+) -> guest port 80/, running, 300)
    awaitOutput(runLog, ~/vmforge: system ready/, running, 300)
    String page = null
    for (int i = 0; i < 60 && page == null; i++) {
        try {
            page = new URL("http://127.0.0.1:${port}/index.html").text
        } catch (IOException notYet) {
            Thread.sleep(1000)
        }
    }
    assert page != null && page.contains("served by busybox httpd"): "vm:run's VM did not answer on ${port}"
    left = killMaven(running, "TERM")
    assert left.isEmpty(): "QEMU outlived Maven stopped with SIGTERM: ${left}"
    println "[verify] vm:run served the page on port ${port}; kill -TERM of Maven: no QEMU left"
} finally {
    running.destroyForcibly()
}
return true
