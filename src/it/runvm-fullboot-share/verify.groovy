import dev.vmforge.it.RunVmScripts

// Runs the script (full boot through GRUB), then fetches, through the forwarded port, a file that exists only
// in the host folder shared over 9p: the share list came through fw_cfg.
File script = new File(basedir, "target/vm/run-vm.sh")
assert script.isFile() && script.canExecute(): "no executable script at ${script}"
assert script.text.contains("-fw_cfg"): "the full-boot script passes no fw_cfg share list"
assert !script.text.contains("-kernel "): "a full boot must not boot the kernel directly"
int port = Integer.parseInt(new File(basedir, "pom.xml").text.find(/<portForwarding>(\d+):80/) { all, p -> p })
String marker = "written on the host at " + System.nanoTime()
new File(basedir, "src/shared/host.txt").text = marker + "\n" // after the build: only the share can serve it
File console = new File(basedir, "target/run-vm-console.log")
long start = System.nanoTime()
String page = RunVmScripts.fetch(script, "http://127.0.0.1:${port}/host.txt", console, 300)
assert page != null && page.contains(marker): "no shared file through port ${port}; console:\n${console.text}"
println "[verify] shared file served through port ${port} after ${String.format('%.1f', (System.nanoTime() - start) / 1e9)} s"
return true
