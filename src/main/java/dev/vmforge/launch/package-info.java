/**
 * The declared system running in QEMU, for {@code vm:start}, {@code vm:stop} and {@code vm:run}: what boots
 * ({@link dev.vmforge.launch.BootableSystem}), starting it on a leash with its ports forwarded
 * ({@link dev.vmforge.launch.VmLauncher}), waiting until it is ready ({@link dev.vmforge.launch.Readiness}),
 * stopping it ({@link dev.vmforge.launch.RunningVm}), and the VMs of this JVM ({@link dev.vmforge.launch.RunningVms}).
 */
package dev.vmforge.launch;
