/**
 * The POM's configuration blocks as Maven injects them: plain mutable beans whose field names are
 * the public element names of the POM contract. Nothing here is validated; {@code ConfigurationReader}
 * turns them into the immutable model of {@code dev.vmforge.os}.
 */
package dev.vmforge.os.pom;
