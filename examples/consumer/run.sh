#!/usr/bin/env bash
# Build and test this project, then run its main with the runtime class path Maven resolves.
set -euo pipefail
mvn -B verify
mvn -B -q dependency:build-classpath -Dmdep.includeScope=runtime -Dmdep.outputFile=target/runtime-classpath.txt
java -Xmx2g -cp "target/classes:$(cat target/runtime-classpath.txt)" com.example.reid.TrainAndEmbed target/work
