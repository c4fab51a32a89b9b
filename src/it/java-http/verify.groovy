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

// --- a change of <jvmArguments> only: the application partition is rebuilt, the system image is not (no VM)
String imageBefore = dev.vmforge.Sha256.ofFile(image.toPath())
String plugin = "dev.vmforge:vm-maven-plugin:" + new File(basedir, "pom.xml").text.find(/vm-maven-plugin<\/artifactId>\s*<version>([^<]+)/) { all, v -> v }
// -llr: the ITs' local repository recorded its artifacts as coming from the settings' file repository
def mvn = ["mvn", "-B", "-o", "-llr", "-Dmaven.repo.local=" + localRepositoryPath, "-Dapp.heap=-Xmx160m",
           "package", plugin + ":build-image"].execute(null, basedir)
def out = new StringBuilder()
mvn.waitForProcessOutput(out, out)
assert mvn.exitValue() == 0: "the rebuild failed:\n${out}"
assert out.find(/System disk image\s+up to date/): "the system image was built again:\n${out}"
assert !out.contains("builder VM '"): "a builder VM started for a JVM argument:\n${out}"
assert out.find(/Application partition\s+[0-9.]+ (KiB|MiB) of [0-9]+ MiB/): "the partition was not rebuilt:\n${out}"
assert dev.vmforge.Sha256.ofFile(image.toPath()) != imageBefore: "the image did not change"
println "[verify] -Xmx160m: " + out.readLines().findAll { it.contains("System disk image") || it.contains("Application partition") || it.contains("Disk image ") }.join(" / ")
return true
