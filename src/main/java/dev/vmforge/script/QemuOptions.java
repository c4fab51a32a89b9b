package dev.vmforge.script;

/** QEMU's option-list syntax ({@code key=value,key=value}): a comma inside a value is written as two. */
final class QemuOptions {
    private QemuOptions() {
    }

    static String escape(String value) {
        return value.replace(",", ",,");
    }
}
