// Reads the archive with skopeo, then loads and runs it with podman (runc: crun fails on this kernel's cgroups).
import dev.vmforge.it.Containers
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

def container = Containers.loadAndRun(archive.toPath(), "vmforge-it/docker-hello:1.0", "HELLO from", 30)
assert container.loadOutput().contains("vmforge-it/docker-hello:1.0"): container.loadOutput()
assert container.logs().contains("HELLO from") && container.logs().contains("Built by vm-maven-plugin"):
        "the service's line is not in the container's output:\n${container.logs()}"
return true
