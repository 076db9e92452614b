#!/bin/sh
# Debian's Chromium for the browser tests, without the address bar's WebUI popups. Headless Chromium
# preloads them in hidden renderers that keep about half a core busy for as long as the browser runs.
# playwright-core passes its own --disable-features, and Chromium keeps only the last one it is
# given, so every --disable-features becomes one list.
features=WebUIOmniboxPopup,WebUIOmniboxAimPopup
for arg do
  shift
  case $arg in
    --disable-features=*) features="$features,${arg#--disable-features=}" ;;
    *) set -- "$@" "$arg" ;;
  esac
done
exec /usr/bin/chromium "$@" "--disable-features=$features"
