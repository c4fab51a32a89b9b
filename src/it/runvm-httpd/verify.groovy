// Runs the generated script in the background, fetches a page through the forwarded port, stops the VM.
File script = new File(basedir, "target/vm/run-vm.sh")
assert script.isFile() && script.canExecute(): "no executable script at ${script}"
int port = Integer.parseInt(new File(basedir, "pom.xml").text.find(/<portForwarding>(\d+):80/) { all, p -> p })
File console = new File(basedir, "target/run-vm-console.log")
Process vm = new ProcessBuilder("sh", script.path).redirectErrorStream(true).redirectOutput(console)
        .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start()
String page = null
long start = System.nanoTime()
try {
    for (int i = 0; i < 300 && page == null && vm.isAlive(); i++) {
        try {
            page = new URL("http://127.0.0.1:${port}/index.html").text
        } catch (IOException e) {
            Thread.sleep(1000)
        }
    }
} finally {
    vm.destroy()
    vm.waitFor()
}
assert page != null && page.contains("served by busybox httpd"): "no page through port ${port}; console:\n${console.text}"
println "[verify] page served through port ${port} after ${String.format('%.1f', (System.nanoTime() - start) / 1e9)} s"
return true
