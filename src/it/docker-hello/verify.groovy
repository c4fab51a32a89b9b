// Reads the archive with skopeo, then loads and runs it with podman (runc: crun fails on this kernel's cgroups).
import groovy.json.JsonSlurper

def run(List cmd, boolean mustSucceed = true) {
    def p = cmd.execute()
    def out = new StringBuilder()
    p.waitForProcessOutput(out, out) // waits for both streams to be read, not only for the exit
    assert !mustSucceed || p.exitValue() == 0: "${cmd.join(' ')} failed:\n${out}"
    return out.toString()
}

File archive = new File(basedir, "target/docker-hello-1.0.0-docker.tar")
assert archive.isFile(): "no archive at ${archive}"

def config = new JsonSlurper().parseText(run(["skopeo", "inspect", "--config", "docker-archive:" + archive.path]))
assert config.config.Entrypoint == ["/usr/lib/vmforge/container-init"]
assert config.config.Env.contains("GREETING=hi")
assert config.config.ExposedPorts.containsKey("8080/tcp")
assert config.config.Labels["org.opencontainers.image.title"] == "docker-hello"
assert config.architecture == "amd64" && config.os == "linux"

String loaded = run(["podman", "load", "-i", archive.path])
assert loaded.contains("vmforge-it/docker-hello:1.0"): loaded
String name = "vmforge-it-docker-hello"
run(["podman", "rm", "-f", name], false)
run(["podman", "run", "-d", "--runtime", "runc", "--name", name, "vmforge-it/docker-hello:1.0"])
String logs = ""
for (int i = 0; i < 60 && !logs.contains("HELLO from"); i++) {
    Thread.sleep(500)
    logs = run(["podman", "logs", name], false)
}
run(["podman", "rm", "-f", name], false)
run(["podman", "rmi", "-f", "vmforge-it/docker-hello:1.0"], false)
assert logs.contains("HELLO from") && logs.contains("Built by vm-maven-plugin"): "the service's line is not in the container's output:\n${logs}"
return true
