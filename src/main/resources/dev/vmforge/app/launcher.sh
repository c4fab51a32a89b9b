#!/bin/sh
# The application's launcher (vm-maven-plugin): java from PATH (the system's alternatives link) with the
# application's JVM arguments, classpath and main class; arguments given to the launcher go to the application.
exec java @JVM_ARGUMENTS@ -cp @CLASSPATH@ @MAIN_CLASS@ "$@"
