import dev.vmforge.it.RunVmScripts

// The run-vm script reads the application from the host over 9p: after a code change, mvn package and a
// re-run of the script (not of the goal) serve the new code.
String fetch(File script, int port, File console) {
    return RunVmScripts.fetch(script, "http://127.0.0.1:${port}/", console, 300)
}

int port = Integer.parseInt(new File(basedir, "pom.xml").text.find(/<portForwarding>(\d+):8080/) { all, p -> p })
File script = new File(basedir, "target/vm/run-vm.sh")
assert script.canExecute()
File first = new File(basedir, "target/run-vm-first.log")
String before = fetch(script, port, first)
assert before != null && before.startsWith("Hello from java-http"): "first run: no answer on ${port}:\n${first.text}"

File main = new File(basedir, "src/main/java/dev/vmforge/examples/http/Main.java")
main.text = main.text.replace("\"Hello from java-http", "\"Howdy from java-http")
// -llr: the ITs' local repository recorded its artifacts as coming from the settings' file repository
def mvn = ["mvn", "-B", "-o", "-q", "-llr", "-Dmaven.repo.local=" + localRepositoryPath, "package"].execute(null, basedir)
def out = new StringBuilder()
mvn.waitForProcessOutput(out, out)
assert mvn.exitValue() == 0: "mvn package failed:\n${out}"

File second = new File(basedir, "target/run-vm-second.log")
String after = fetch(script, port, second)
assert after != null && after.startsWith("Howdy from java-http"): "after the code change: ${after}\n${second.text}"
println "[verify] before: ${before.trim()} / after mvn package: ${after.trim()}"
return true
