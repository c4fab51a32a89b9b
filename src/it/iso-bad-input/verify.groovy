// Each failed invocation named the element to fix and how.
String log = new File(basedir, "build.log").text
assert log.contains("<image/partitionTable>: does not apply to <format>iso</format>"): "no partitionTable error"
assert log.contains("<image/size>: does not apply to <format>iso</format>"): "no size error"
// the cloud kernel lacks a driver an ISO needs (USB storage): the error names <kernel> and a kernel that has it
def kernel = log =~ /<operatingSystem\/kernel>: kernel \S+cloud-amd64 has neither as a module nor built in \[[^\]]+\], which an ISO image[^\n]*set <kernel>linux-image-amd64<\/kernel>/
assert kernel.find(): "no kernel error naming <kernel>:\n${log.readLines().findAll { it.contains('ERROR') }.join('\n')}"
assert !new File(basedir, "target/iso-bad-input-1.0.0.iso").exists()
return true
