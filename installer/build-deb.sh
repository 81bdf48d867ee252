#!/usr/bin/env bash
# Package a built bundle as a .deb: bash installer/build-deb.sh [OUT]   (default OUT: installer/)
# Takes OUT/dist/Hembesok (from installer/build.sh OUT) and writes OUT/hembesok_<version>_<arch>.deb:
#   /opt/hembesok/                      the bundle as built
#   /usr/bin/hembesok                   a launcher (so `hembesok --version` works from any shell)
#   /usr/share/applications/hembesok.desktop, /usr/share/icons/hicolor/256x256/apps/hembesok.png
#   /usr/share/doc/hembesok/settings.toml.example   machine-wide settings IT may fix (/etc/hembesok/settings.toml)
# gzip, not dpkg-deb's default xz: xz takes minutes for 170 MB on a shared 2-core machine.
# No maintainer scripts: removing the package removes only these files, never a user's profile in ~/.local/share.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(cd "${1:-$root/installer}" && pwd)"
bundle="$out/dist/Hembesok"
[ -x "$bundle/Hembesok" ] || { echo "no bundle at $bundle: run installer/build.sh first" >&2; exit 1; }
version="$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["project"]["version"])' \
    "$root/pyproject.toml")"
arch="$(dpkg --print-architecture)"
stage="$out/deb-root"
rm -rf "$stage"
mkdir -p "$stage/DEBIAN" "$stage/opt" "$stage/usr/bin" "$stage/usr/share/applications" \
    "$stage/usr/share/icons/hicolor/256x256/apps" "$stage/usr/share/doc/hembesok"
cp -a "$bundle" "$stage/opt/hembesok"
cat > "$stage/usr/bin/hembesok" <<'LAUNCHER'
#!/bin/sh
exec /opt/hembesok/Hembesok "$@"
LAUNCHER
chmod 0755 "$stage/usr/bin/hembesok"
cat > "$stage/usr/share/applications/hembesok.desktop" <<'DESKTOP'
[Desktop Entry]
Type=Application
Name=Hembesök
GenericName=Biståndshandläggning enligt IBIC
Comment=Kartläggning, utredning och uppföljning vid hembesök
Exec=hembesok
Icon=hembesok
Terminal=false
Categories=Office;
StartupWMClass=Hembesok
DESKTOP
cp "$root/installer/hembesok.png" "$stage/usr/share/icons/hicolor/256x256/apps/hembesok.png"
cp "$root/installer/settings.toml.example" "$stage/usr/share/doc/hembesok/settings.toml.example"
size_kib="$(du -sk --exclude=DEBIAN "$stage" | cut -f1)"
# Depends: the packages of the system libraries the bundle links (listed by the spec from `dpkg -S`, so a .deb
# built on Ubuntu names Ubuntu's packages), and what Qt loads without linking it (OpenGL, the xcb cursor, fonts),
# as `installer/system-deps.sh app` installs them.
linked="$(paste -sd, "$out/system-packages.txt" | sed 's/,/, /g')"
cat > "$stage/DEBIAN/control" <<CONTROL
Package: hembesok
Version: $version
Architecture: $arch
Maintainer: Hembesök <hembesok@example.invalid>
Installed-Size: $size_kib
Section: misc
Priority: optional
Depends: $linked, libegl1, libgl1, libxcb-cursor0, fonts-dejavu-core
Description: Hembesök: IBIC kartläggning, utredning och uppföljning för biståndshandläggare
 Offline desktop app for home visits in elderly care: the case, the mapping of life areas,
 the draft utredning and the follow-up, stored encrypted on the laptop and synced to the
 municipality's server.
CONTROL
package="$out/hembesok_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip -z3 --build "$stage" "$package" >/dev/null
rm -rf "$stage"
echo "Package: $package"
