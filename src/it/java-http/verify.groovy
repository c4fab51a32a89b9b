// The java-http service three ways: the disk image, booted by vm:start in mvn verify, answers the example's
// failsafe IT through a free forwarded port; the Docker image runs in podman and logs its start line; run-vm.sh
// serves it. All hold the same configured system.
import dev.vmforge.it.Containers
import dev.vmforge.it.ProcessesLeft
import dev.vmforge.it.RunVmScripts

// --- disk image, in mvn verify: vm:start booted it, the example's HelloIT called it, vm:stop powered it off
File image = new File(basedir, "target/java-http-1.0.0.qcow2")
assert image.isFile(): "vm:start did not build the image first: no ${image}"
String buildLog = new File(basedir, "build.log").text
def published = buildLog =~ /VM 'default': set vm\.host=127\.0\.0\.1, vm\.port\.8080=(\d+)/
assert published.find(): "vm:start published no vm.port.8080:\n${buildLog}"
String port = published.group(1)
assert buildLog.contains("HelloIT: http://127.0.0.1:${port}/ answered 200: Hello from java-http on Java 17"):
        "the failsafe IT did not get the greeting through port ${port}"
assert buildLog =~ /Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: [0-9.]+ s -- in dev\.vmforge\.examples\.http\.HelloIT/
def ready = buildLog =~ /VM 'default': ready in ([0-9.]+) s \(([^)]*)\)/
assert ready.find()
println "[verify] vm:start: ready in ${ready.group(1)} s (${ready.group(2)})"
assert buildLog.contains("VM 'default': powered off in"): "vm:stop did not power the guest off through ACPI:\n${buildLog}"
String console = new File(basedir, "target/vm/console-default.log").text
assert console.contains("java-http listening on 8080"): "console kept by vm:stop lacks the service:\n${console}"
assert console.contains('openjdk version "17'): "/usr/bin/java -version printed nothing:\n${console}"
def left = ProcessesLeft.naming(basedir, 10)
assert left.isEmpty(): "processes of the build left running: ${left}"

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
