#!/usr/bin/env bash
# Render every example form (tests/data/forms/<id>.json) to docs/forms/<id>.png for visual review:
# export with `jiebang draft --answers`, convert with LibreOffice headless, rasterise with pdftoppm,
# and stack the pages of each form into one PNG. Not needed in CI.
#
# Needs: libreoffice-writer, poppler-utils, fonts-noto-cjk. With INSTALL=1 (as root) they are installed:
#   INSTALL=1 scripts/render_forms.sh
# 宋体/仿宋 map to Noto Serif CJK SC and 黑体 to Noto Sans CJK SC through a private fontconfig file,
# so the preview uses the fonts the .docx asks for, as closely as a Linux box can.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PY="$ROOT/.venv/bin/python"
OUT="$ROOT/docs/forms"
DPI="${DPI:-72}"

if [[ "${INSTALL:-0}" == "1" ]]; then
  apt-get update
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libreoffice-writer poppler-utils fonts-noto-cjk
fi
for tool in soffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool：请安装 libreoffice-writer poppler-utils fonts-noto-cjk（或 INSTALL=1 运行本脚本）" >&2; exit 2; }
done

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/fontconfig" "$WORK/docx" "$WORK/pdf" "$WORK/png" "$OUT"
cat > "$WORK/fontconfig/fonts.conf" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>SimSun</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>FangSong</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias binding="same"><family>SimHei</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
  <alias binding="same"><family>Times New Roman</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
</fontconfig>
XML
export FONTCONFIG_FILE="$WORK/fontconfig/fonts.conf"
export JIEBANG_DATA_DIR="$WORK/data"

for answers in "$ROOT"/tests/data/forms/*.json; do
  id="$(basename "$answers" .json)"
  "$ROOT/.venv/bin/jiebang" draft "$id" --answers "$answers" --out "$WORK/docx/$id.docx" >/dev/null
done

soffice --headless -env:UserInstallation="file://$WORK/lo-profile" \
  --convert-to pdf --outdir "$WORK/pdf" "$WORK"/docx/*.docx >/dev/null 2>&1

for pdf in "$WORK"/pdf/*.pdf; do
  id="$(basename "$pdf" .pdf)"
  mkdir -p "$WORK/png/$id"
  pdftoppm -r "$DPI" -png "$pdf" "$WORK/png/$id/page"
  # Stack the pages, with a grey band between pages so page breaks stay visible.
  "$PY" - "$OUT/$id.png" "$WORK"/png/"$id"/page-*.png <<'PYCODE'
import shutil
import sys

out, pages = sys.argv[1], sorted(sys.argv[2:])
try:
    from PIL import Image
except ImportError:  # without Pillow keep the first page only
    shutil.copyfile(pages[0], out)
    raise SystemExit(0)

images = [Image.open(p).convert("RGB") for p in pages]
gap = 12
height = sum(i.height for i in images) + gap * (len(images) - 1)
sheet = Image.new("RGB", (max(i.width for i in images), height), (150, 150, 150))
y = 0
for image in images:
    sheet.paste(image, (0, y))
    y += image.height + gap
sheet.save(out, optimize=True)
PYCODE
  echo "$OUT/$id.png"
done
