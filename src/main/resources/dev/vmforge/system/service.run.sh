#!/bin/sh
# One service's environment, working directory and command (vm-maven-plugin); run-service runs it as the
# service's user.
@EXPORTS@
cd @DIRECTORY@ || { echo @CANNOT_ENTER@ >&2; exit 200; }
exec /bin/sh -c @COMMAND@
