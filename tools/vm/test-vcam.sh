#!/usr/bin/env bash
# The virtual camera against a real v4l2loopback device and real clients, in the v4l2-vm guest
# (../shared/tools/v4l2-vm; its image is built once with `v4l2-vm build --with-chromium`).
# Not part of npm test: under software emulation a run takes a few minutes.
#
#   tools/vm/test-vcam.sh [WORK_DIR]     (default .smilecam-tmp/vm, inside this checkout)
#
# In the guest: `smilecam camera --input clip.y4m --output /dev/video10 --loop`, then ffmpeg reads a
# frame a second for READ_SECONDS, then headless Chromium lists the cameras and grabs frames
# through getUserMedia. On the host, tools/vm/vcam.ts checks each frame: face sharp and
# background blurred (or fully blurred while the engine starts), never a sharp background.
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
work=${1:-.smilecam-tmp/vm}
vm=${V4L2VM:-$root/../shared/tools/v4l2-vm/v4l2-vm}
read_seconds=${READ_SECONDS:-120}
# The guest sees only the shared folder; worktrees link node_modules from a sibling checkout, so
# share the parent folder by default (same paths in the guest).
share=${SHARE:-$(dirname "$root")}

mkdir -p "$work"
work=$(cd "$work" && pwd -P)
rm -f "$work/frames.y4m" "$work/chromium.log" "$work"/chromium-frame-*.png "$work/smilecam.log"
npx tsx tools/vm/vcam.ts prepare "$work"

guest=$(cat <<GUEST
set -u
cd "$root"
# tsx keeps its compile cache in TMPDIR: on the share it survives the run, and the next run
# starts in seconds instead of minutes.
mkdir -p "$work/tmp"
export TMPDIR="$work/tmp"
# ...but Chromium's profile lock is a socket, which the share (9p) cannot hold.
chromium() { TMPDIR=/tmp exec chromium "\$@"; }
echo "== node \$(node --version), \$(ffmpeg -version | head -n1)"
node bin/smilecam.mjs camera --list-devices
start=\$(date +%s)
# Under emulation a frame takes the engine many seconds: a mask is older than the default 1 s
# when it arrives, and every frame would (rightly) go out fully blurred. The clip's person
# barely moves, so masks may be reused for longer here.
node bin/smilecam.mjs camera --input "$work/clip.y4m" --output /dev/video10 --loop --mask-age ${MASK_AGE_MS:-60000} >"$work/smilecam.log" 2>&1 &
cam=\$!
until v4l2-ctl -d /dev/video10 -D 2>/dev/null | grep -q 'Video Capture'; do
  kill -0 \$cam 2>/dev/null || { echo "smilecam camera exited:"; cat "$work/smilecam.log"; exit 1; }
  sleep 0.2
done
echo "== smilecam is streaming after \$(( \$(date +%s) - start )) s"
v4l2-ctl -d /dev/video10 --list-devices
v4l2-ctl -d /dev/video10 --get-fmt-video | grep -E 'Width|Pixel Format'
ffmpeg -hide_banner -nostdin -loglevel error -f v4l2 -i /dev/video10 -vf fps=1 -t $read_seconds -pix_fmt yuv420p -y "$work/frames.y4m"
echo "== ffmpeg read $read_seconds s"
chromium --headless=new --no-sandbox --disable-gpu --no-first-run --no-default-browser-check \
  --use-fake-ui-for-media-stream --user-data-dir="\$(TMPDIR=/tmp mktemp -d)" \
  --enable-logging=stderr --v=0 "file://$work/cam.html" >"$work/chromium.log" 2>&1 &
browser=\$!
for _ in \$(seq 3000); do
  grep -q 'VCAM DONE' "$work/chromium.log" 2>/dev/null && break
  kill -0 \$browser 2>/dev/null || break
  sleep 0.1
done
kill \$browser 2>/dev/null; wait \$browser 2>/dev/null
echo "== chromium done"
kill -TERM \$cam
wait \$cam
echo "== smilecam camera exit code \$? after \$(( \$(date +%s) - start )) s:"
cat "$work/smilecam.log"
GUEST
)

nice -n 10 "$vm" run --share "$share" --timeout "${V4L2VM_TIMEOUT:-1800}" -- "$guest"
npx tsx tools/vm/vcam.ts check "$work"
