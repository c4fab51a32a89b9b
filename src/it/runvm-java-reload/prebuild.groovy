// The reload test edits Main.java, so it builds a copy of the example's source, made here in the cloned
// project (basedir is target/it*/runvm-java-reload); the example itself is never touched.
File example = new File(basedir, "../../../src/examples/java-http/src/main/java/dev/vmforge/examples/http/Main.java")
assert example.isFile(): "no example source at ${example.canonicalPath}"
File copy = new File(basedir, "src/main/java/dev/vmforge/examples/http/Main.java")
copy.parentFile.mkdirs()
copy.text = example.text
return true
