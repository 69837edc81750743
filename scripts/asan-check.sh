#!/usr/bin/env bash
# Runs `vigor plugin check` on every bundled plugin under AddressSanitizer.
#
# A separate debug build of `vigor` and the plugin products with --sanitize=address (in
# .build-asan, beside the normal .build), then the full conformance suite on each .so from
# that build, plus the C example compiled with the toolchain's clang and -fsanitize=address.
# A use-after-free, double free, wrong-allocator free or per-call leak in a plugin or the SDK
# fails the check with ASan's report and a non-zero exit.
#
#   scripts/asan-check.sh            # build (incremental after the first time) and check
#   ASAN=0 scripts/asan-check.sh     # skip
#
# Environment: SWIFT (default swift), ASAN_SCRATCH (default .build-asan),
# PLUGIN_PRODUCTS (default: the Makefile's list), ASAN_OPTIONS and LSAN_OPTIONS (defaults below).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ "${ASAN:-1}" = "0" ]; then
    echo "asan-check: skipped (ASAN=0)"
    exit 0
fi

SWIFT=${SWIFT:-swift}
SCRATCH=${ASAN_SCRATCH:-.build-asan}
# The bundled plugins: the Makefile passes its list; standalone, read the same list from it.
PLUGIN_PRODUCTS=${PLUGIN_PRODUCTS:-$(sed -n 's/^PLUGIN_PRODUCTS := //p' Makefile)}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:halt_on_error=1:abort_on_error=0}
# LeakSanitizer is on: a plugin that leaks per call (an output buffer its release does not
# free, a stream it never frees) fails the check. What the loader creates at load time — the
# host context, the plugin instance — lives for the whole process by design (a plugin is
# never unloaded), as does swift-log's bootstrap; those allocations are suppressed.
mkdir -p "$SCRATCH"
cat >"$SCRATCH/lsan.supp" <<'SUPP'
leak:VigorPluginLoader0bC0V4load4path
leak:Logging6LoggerV5label
SUPP
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(cd "$SCRATCH" && pwd)/lsan.supp:print_suppressions=0}

started=$(date +%s)
echo "asan-check: building vigor and the plugins with AddressSanitizer in $SCRATCH"
# One build of every product (vigor and the plugins): cheaper than one invocation each.
"$SWIFT" build -c debug --sanitize=address --scratch-path "$SCRATCH"
BIN=$("$SWIFT" build -c debug --sanitize=address --scratch-path "$SCRATCH" --show-bin-path)
built=$(date +%s)
echo "asan-check: build took $((built - started))s"

# The C example, instrumented too. It must use the toolchain's clang: its ASan runtime is the
# one linked into the sanitized vigor (gcc's libasan would clash).
CLANG=$(dirname "$(readlink -f "$(command -v "$SWIFT")")")/clang
libraries=()
for product in $PLUGIN_PRODUCTS; do libraries+=("$BIN/lib$product.so"); done
if [ -x "$CLANG" ]; then
    "$CLANG" -shared -fPIC -O1 -g -fsanitize=address -std=c11 -D_POSIX_C_SOURCE=200809L \
        -I Sources/VigorPluginAPI/include -o "$SCRATCH/libc_coach.so" Examples/c-plugin/coach.c
    libraries+=("$SCRATCH/libc_coach.so")
else
    echo "asan-check: no clang beside $SWIFT; skipping the C example"
fi

failed=()
for library in "${libraries[@]}"; do
    echo "asan-check: $library"
    if ! "$BIN/vigor" plugin check "$library" >"$SCRATCH/check.log" 2>&1; then
        cat "$SCRATCH/check.log"
        failed+=("$library")
    else
        tail -n 1 "$SCRATCH/check.log"
    fi
done

echo "asan-check: ${#libraries[@]} plugins checked in $(($(date +%s) - started))s, ${#failed[@]} failed"
if [ ${#failed[@]} -gt 0 ]; then
    printf '  failed: %s\n' "${failed[@]}"
    exit 1
fi
