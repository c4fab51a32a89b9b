// The java-http service three ways: the disk image answers HTTP through a forwarded port, the Docker image
// runs in podman and logs its start line, run-vm.sh serves it. All hold the same configured system.
import dev.vmforge.it.Containers
import dev.vmforge.it.GuestBoot
import dev.vmforge.it.RunVmScripts

int freePort() {
    new ServerSocket(0, 1, InetAddress.getLoopbackAddress()).withCloseable { it.localPort }
}

// --- disk image
File image = new File(basedir, "target/java-http-1.0.0.qcow2")
assert image.isFile(): "no image at ${image}"
int port = freePort()
def guest = GuestBoot.start(image.toPath(), "qcow2", "bios", [(port): 8080], new File(basedir, "target/boot.log").toPath())
try {
    def started = guest.waitFor("java-http listening on 8080", 600)
    assert started.markerSeen(): "the service did not start; console:\n${started.console()}"
    assert started.console().contains('openjdk version "17'): "/usr/bin/java -version printed nothing:\n${started.console()}"
    String body = null
    for (int i = 0; i < 60 && body == null; i++) {
        try {
            body = new URL("http://127.0.0.1:${port}/").text
        } catch (IOException e) {
            Thread.sleep(1000)
        }
    }
    assert body != null && body.startsWith("Hello from java-http on Java 17"): "no HTTP answer through port ${port}: ${body}"
    println "[verify] image: HTTP answered after ${String.format('%.1f', started.seconds())} s: ${body.trim()}"
} finally {
    guest.close()
}

// --- Docker image
File archive = new File(basedir, "target/java-http-1.0.0-docker.tar")
assert archive.isFile()
def container = Containers.loadAndRun(archive.toPath(), "java-http:1.0.0", "java-http listening", 60)
assert container.logs().contains("java-http listening on 8080"): "the container did not log its start line:\n${container.logs()}"
assert container.logs().contains('openjdk version "17'): container.logs()

// --- run-vm script: the same system, booted straight into its kernel, the port forwarded by the script
int scriptPort = Integer.parseInt(new File(basedir, "pom.xml").text.find(/<portForwarding>(\d+):8080/) { all, p -> p })
File script = new File(basedir, "target/vm/run-vm.sh")
File scriptConsole = new File(basedir, "target/run-vm-console.log")
String served = RunVmScripts.fetch(script, "http://127.0.0.1:${scriptPort}/", scriptConsole, 300)
assert served != null && served.startsWith("Hello from java-http"): "run-vm.sh: no answer on ${scriptPort}:\n${scriptConsole.text}"
return true
