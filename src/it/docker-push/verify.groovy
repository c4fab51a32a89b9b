// Starts Debian's docker-registry on 127.0.0.1 (htpasswd, bcrypt) and runs vm:push-docker-image against it with
// the credentials in a settings.xml (password encrypted as mvn --encrypt-password does): skopeo and podman read
// the pushed image; pushing again uploads nothing; another repository mounts; a wrong password is a clear error;
// -X shows no secret. The registry is stopped at the end whatever happens.
import dev.vmforge.it.Containers
import dev.vmforge.it.TestRegistry
import groovy.json.JsonSlurper
import org.apache.commons.compress.archivers.tar.TarFile

String port = new File(basedir, "pom.xml").text.find(/<registry.port>(\d+)</) { all, p -> p }
String registryName = "localhost:${port}"
String image = "${registryName}/vmforge-it/push-hello"
String password = "it-Pa55-" + UUID.randomUUID().toString().substring(0, 8)
File target = new File(basedir, "target")

def run(List cmd, File dir = null) {
    def p = new ProcessBuilder(cmd.collect { it.toString() }).directory(dir).redirectErrorStream(true).start()
    String out = p.inputStream.text // read to the end, then the exit status
    return [status: p.waitFor(), out: out]
}

// the Maven running this build, for the pushes and the password encryption
String mvnCommand = new File(System.getProperty("maven.home"), "bin/mvn").path

def mvn(List args, File settings, String logName) {
    List cmd = [new File(System.getProperty("maven.home"), "bin/mvn").path, "-B", "-s", settings.path,
                "-Dmaven.repo.local=" + localRepositoryPath] + args
    def result = run(cmd, basedir)
    new File(basedir, "target/${logName}.log").text = result.out
    println "[verify] mvn ${args.join(' ')}: exit ${result.status}"
    return result
}

// Maven's password encryption: a master password in settings-security.xml, the server's password encrypted with it
File security = new File(target, "settings-security.xml")
String master = run([mvnCommand, "-B", "-q", "--encrypt-master-password", "master-" + password]).out.find(/\{[A-Za-z0-9+\/=]+\}/)
assert master != null
security.text = "<settingsSecurity><master>${master}</master></settingsSecurity>\n"
String encrypted = run([mvnCommand, "-B", "-q", "-Dsettings.security=" + security.path, "--encrypt-password", password])
        .out.find(/\{[A-Za-z0-9+\/=]+\}/)
assert encrypted != null

String repositoryUrl = new File(System.getProperty("maven.repo.local",
        System.getProperty("user.home") + "/.m2/repository")).toURI().toString()
def settingsFor = { String serverPassword, String name ->
    File f = new File(target, name)
    f.text = """<settings>
  <servers>
    <server><id>${registryName}</id><username>alice</username><password>${serverPassword}</password></server>
  </servers>
  <profiles><profile><id>it-repo</id>
    <repositories><repository><id>local.central</id><url>${repositoryUrl}</url></repository></repositories>
    <pluginRepositories><pluginRepository><id>local.central</id><url>${repositoryUrl}</url></pluginRepository></pluginRepositories>
  </profile></profiles>
  <activeProfiles><activeProfile>it-repo</activeProfile></activeProfiles>
</settings>
"""
    return f
}
File settings = settingsFor(encrypted, "push-settings.xml")
File wrongSettings = settingsFor("not-" + password, "wrong-settings.xml")
String securityOption = "-Dsettings.security=" + security.path

// the tarball's config digest: what the registry must hold
File archive = new File(target, "docker-push-1.0.0-docker.tar")
String tarballConfig = new TarFile(archive).withCloseable { tar ->
    def manifest = tar.entries.find { it.name == "manifest.json" }
    "sha256:" + new JsonSlurper().parse(tar.getInputStream(manifest))[0].Config.replace(".json", "")
}

def registry = TestRegistry.start(new File(target, "registry").toPath(), port as int, [alice: password])
try {
    // 1. the first push, credentials from settings.xml
    def first = mvn([securityOption, "vm:push-docker-image"], settings, "push-first")
    assert first.status == 0: first.out
    assert first.out.contains("as user 'alice' (from settings.xml server '${registryName}')"): first.out
    String digest = new File(target, "vm/docker-digest").text.trim()
    assert digest ==~ /sha256:[0-9a-f]{64}/
    assert first.out.contains("Pushed ${image}@${digest}"): first.out

    def skopeo = ["skopeo", "inspect", "--tls-verify=false", "--creds", "alice:${password}"]
    def raw = new JsonSlurper().parseText(run(skopeo + ["--raw", "docker://${image}:1.0"]).out)
    assert raw.mediaType == "application/vnd.docker.distribution.manifest.v2+json"
    assert raw.config.digest == tarballConfig: "pushed config ${raw.config.digest}, tarball's ${tarballConfig}"
    def inspected = new JsonSlurper().parseText(run(skopeo + ["docker://${image}:latest"]).out)
    assert inspected.Name == image
    assert inspected.Digest == digest
    assert inspected.RepoTags.containsAll(["1.0", "latest"])
    def config = new JsonSlurper().parseText(run(skopeo + ["--config", "docker://${image}:1.0"]).out)
    assert config.config.Entrypoint == ["/usr/lib/vmforge/container-init"]
    assert config.config.ExposedPorts.containsKey("8080/tcp")
    assert config.config.Env.contains("GREETING=hi")
    int blobs = raw.layers.size() + 1
    println "[verify] skopeo: ${inspected.Name}@${inspected.Digest}, config ${raw.config.digest}, ${blobs} blobs"

    def container = Containers.pullAndRun("${image}:1.0", ["--tls-verify=false", "--creds", "alice:${password}".toString()],
            "HELLO from", 30)
    assert container.logs().contains("HELLO from") && container.logs().contains("Built by vm-maven-plugin"):
            "the pulled image did not print the service's line:\n${container.logs()}"

    // 2. again, with -X: no blob is uploaded, and no secret is printed
    long mark = registry.mark()
    def again = mvn([securityOption, "-X", "vm:push-docker-image"], settings, "push-again")
    assert again.status == 0: again.out
    def requests = registry.requestsSince(mark)
    assert TestRegistry.uploads(requests).isEmpty(): "pushing again uploaded: ${requests}"
    assert again.out.contains("0 uploaded (0.0 KiB), ${blobs} already there"): again.out
    String basic = Base64.encoder.encodeToString("alice:${password}".getBytes("UTF-8"))
    assert !again.out.contains(password) && !again.out.contains(basic): "a secret is in the -X log"

    // 3. another repository of the same registry: every blob mounted, none uploaded
    mark = registry.mark()
    def other = mvn([securityOption, "-Dvm.docker.name=${registryName}/vmforge-it/other-hello:2.0",
                     "vm:push-docker-image"], settings, "push-other")
    assert other.status == 0: other.out
    requests = registry.requestsSince(mark)
    assert TestRegistry.uploads(requests).isEmpty(): "the other repository got uploads: ${requests}"
    assert TestRegistry.mounts(requests).size() == blobs: requests
    assert other.out.contains("0 uploaded (0.0 KiB), ${blobs} mounted"): other.out
    assert new File(target, "vm/docker-digest").text.trim() == digest

    // 4. a wrong password: a clear error naming the registry and where the credentials came from, no secret
    def wrong = mvn(["-X", "vm:push-docker-image"], wrongSettings, "push-wrong-password")
    assert wrong.status != 0
    assert wrong.out.contains("Registry ${registryName} refused the credentials of user 'alice' (from settings.xml"
            + " server '${registryName}')"): wrong.out
    String wrongBasic = Base64.encoder.encodeToString("alice:not-${password}".getBytes("UTF-8"))
    assert !wrong.out.contains(password) && !wrong.out.contains(basic) && !wrong.out.contains(wrongBasic):
            "a secret is in the failed push's log"
} finally {
    registry.close()
}
return true
