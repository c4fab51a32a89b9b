import dev.vmforge.it.RunVmScripts

// Runs the generated script in the background, fetches a page through the forwarded port, stops the VM.
File script = new File(basedir, "target/vm/run-vm.sh")
assert script.isFile() && script.canExecute(): "no executable script at ${script}"
int port = Integer.parseInt(new File(basedir, "pom.xml").text.find(/<portForwarding>(\d+):80/) { all, p -> p })
File console = new File(basedir, "target/run-vm-console.log")
long start = System.nanoTime()
def fetched = RunVmScripts.fetchWithListeners(script, "http://127.0.0.1:${port}/index.html", console, 300)
String page = fetched.page()
assert page != null && page.contains("served by busybox httpd"): "no page through port ${port}; console:\n${console.text}"
// the forwarding is for this machine only: <portForwarding> names no address
assert fetched.listeners() == ["127.0.0.1:${port}".toString()]: "ss -ltn shows ${fetched.listeners()} on port ${port}"
println "[verify] page served through port ${port} after ${String.format('%.1f', (System.nanoTime() - start) / 1e9)} s"
return true
