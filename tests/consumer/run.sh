#!/usr/bin/env bash
# Consumer test: from a clean package cache and only the local feed (artifacts/packages, written by the Pack target),
# a console app references Vmx.Runtime and uses its typed accessors; a console app referencing both packages adds its
# own YAML (a new VMCS field, a vendor MSR and its layout) and uses its accessors beside the runtime's; a consumer of
# Vmx.Generator with a clash in its own YAML sees the located error; the installed tool checks and generates C from a
# consumer's overlay spec; a C program compiles against the installed headers via pkg-config.
# Prints one "CONSUMER-TEST PASS|FAIL name" line per test.
set -u
root=$(cd "$(dirname "$0")/../.." && pwd)
feed=$root/artifacts/packages
version=$(sed -n 's:.*<VersionPrefix>\(.*\)</VersionPrefix>.*:\1:p' "$root/Directory.Build.props")
work=$(mktemp -d /tmp/vmxgen-consumer-XXXXXX)
trap 'rm -rf "$work"' EXIT
export NUGET_PACKAGES=$work/packages DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
cat > "$work/nuget.config" <<XML
<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="local" value="$feed" />
  </packageSources>
</configuration>
XML
pass() { echo "CONSUMER-TEST PASS $1"; }
fail() { echo "CONSUMER-TEST FAIL $1: $2"; }

project() { # dir [runtime-only]
  mkdir -p "$1/spec"
  local generator='<PackageReference Include="Vmx.Generator" Version="'$version'" PrivateAssets="all" />'
  [[ "${2:-}" == runtime-only ]] && generator=""
  cat > "$1/App.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <WarningsAsErrors>CS8784;CS8785</WarningsAsErrors>
  </PropertyGroup>
  <ItemGroup>
    $generator
    <PackageReference Include="Vmx.Runtime" Version="$version" />
  </ItemGroup>
</Project>
XML
}

vendor_yaml() {
  cat <<'YAML'
sdm-revision: "325462-086US"
vmcs-groups:
  - name: vendor 64-bit guest-state fields
    section: 64-Bit Guest-State Fields
    width: 64
    type: guest-state
    fields:
      - id: vendor_guest_extra
        title: Vendor guest extra
        encoding: 0x28FE
        index: 127
        description: A field of a newer CPU.
msrs:
  - id: vendor_vm_cr
    name: VENDOR_VM_CR
    address: 0xC0010114
    title: Vendor VM control
    section: Vendor MSRs
    layout: vendor_vm_cr
    description: A vendor-specific MSR.
layouts:
  - id: vendor_vm_cr
    title: Vendor VM control
    section: Vendor MSRs
    width: 64
    description: Its bits.
    fields:
      - id: lock
        bits: 3
        title: Lock
        description: Locks the register.
control-bits:
  - control: proc3
    bits:
      - id: vendor_feature
        title: Vendor feature
        bit: 20
        default1: false
        description: A tertiary control of a newer CPU.
YAML
}

# 1. A consumer of the runtime package uses typed accessors, controls, MSRs and layouts, builds and runs.
app=$work/app
project "$app" runtime-only
vendor_yaml > "$app/spec/vendor.yaml"   # the overlay the installed tool reads in step 3
cat > "$app/Program.cs" <<'CS'
using System;
using System.Collections.Generic;
using Vmx;

var vmcs = new Vmcs<Store>(new Store());
vmcs.GuestCr0 = 0x31;
vmcs.GuestEsSelector = 0x10;
Console.WriteLine($"guest_cr0={vmcs.GuestCr0:X} es={vmcs.GuestEsSelector:X} encoding={(uint)VmcsField.GuestCr0:X} " +
                  $"msr={(uint)Msr.Ia32VmxBasic:X} pe={new Cr0(vmcs.GuestCr0).Pe}");

sealed class Store : IVmcsAccessor
{
    private readonly Dictionary<VmcsField, ulong> _values = new();
    public VmxResult Read(VmcsField field, out ulong value) { _values.TryGetValue(field, out value); return VmxResult.Success; }
    public VmxResult Write(VmcsField field, ulong value) { _values[field] = value; return VmxResult.Success; }
}
CS
cp "$work/nuget.config" "$app/"
out=$(cd "$app" && dotnet run 2>&1)
if [[ "$out" == *"guest_cr0=31 es=10 encoding=6800 msr=480 pe=True"* ]]; then pass "console app on the runtime package builds and runs"
else fail "console app on the runtime package builds and runs" "$(echo "$out" | grep -E 'error|rror' | head -5)"; fi

# 1b. A consumer of both packages adds its own YAML: the generator emits only the overlay's entries, joined to the
# runtime's types (extension members, an internal layout type), so runtime and overlay accessors work together.
both=$work/both
project "$both"
cp "$work/nuget.config" "$both/"
vendor_yaml > "$both/spec/vendor.yaml"
cat > "$both/Program.cs" <<'CS'
using System;
using System.Collections.Generic;
using Vmx;

var store = new Store();
var vmcs = new Vmcs<Store>(store);
vmcs.GuestCr0 = 0x31;                  // the runtime's accessor
vmcs.VendorGuestExtra = 0xABCD;        // the overlay's, through the same Vmcs<T>
var cr = new VendorVmCr(0x8);          // the overlay's layout: bit 3 is lock
Console.WriteLine($"extra={vmcs.VendorGuestExtra:X} stored={store.Raw(VmcsField.VendorGuestExtra):X} " +
                  $"encoding={(uint)VmcsField.VendorGuestExtra:X} cr0={vmcs.GuestCr0:X} msr={(uint)Msr.VendorVmCr:X} " +
                  $"basic={(uint)Msr.Ia32VmxBasic:X} lock={cr.Lock} layout={LayoutCatalog.VendorVmCr.Id} fields={VmcsFieldCatalog.All.Count > 100} " +
                  $"proc3={(ulong)(Proc3Controls.VendorFeature | Proc3Controls.EnableHlat):X}");

sealed class Store : IVmcsAccessor
{
    private readonly Dictionary<VmcsField, ulong> _values = new();
    public ulong Raw(VmcsField field) => _values[field];
    public VmxResult Read(VmcsField field, out ulong value) { _values.TryGetValue(field, out value); return VmxResult.Success; }
    public VmxResult Write(VmcsField field, ulong value) { _values[field] = value; return VmxResult.Success; }
}
CS
build=$(cd "$both" && dotnet build -nologo 2>&1)
out=$(cd "$both" && dotnet run --no-build 2>&1)
if [[ "$out" == "extra=ABCD stored=ABCD encoding=28FE cr0=31 msr=C0010114 basic=480 lock=True layout=vendor_vm_cr fields=True proc3=100002" ]] &&
   ! echo "$build" | grep -qE "CS0436|CS8784|CS8785|error"; then pass "console app on both packages uses its overlay beside the runtime"
else fail "console app on both packages uses its overlay beside the runtime" "$(echo "$build" | grep -E 'warning|error' | sort -u | head -5) $out"; fi

# 2. A clash with the bundled spec is located at the consumer's YAML, without CS8784/CS8785.
bad=$work/bad
project "$bad"
cp "$work/nuget.config" "$bad/"
vendor_yaml | sed 's/encoding: 0x28FE/encoding: 0x2800/; s/index: 127/index: 0/' > "$bad/spec/vendor.yaml"
echo 'System.Console.WriteLine();' > "$bad/Program.cs"
out=$(cd "$bad" && dotnet build 2>&1)
if echo "$out" | grep -qE "spec/vendor.yaml\([0-9]+,[0-9]+\): error VMX0006: encoding 0x2800 of 'vendor_guest_extra' is already used by 'vmcs_link_pointer'" &&
   ! echo "$out" | grep -qE "CS8784|CS8785"; then pass "clash located in dotnet build"
else fail "clash located in dotnet build" "$(echo "$out" | grep -E 'error' | head -3)"; fi

# 3. The installed tool checks and generates C from the consumer's spec.
tools=$work/tools
dotnet tool install vmxgen --version "$version" --tool-path "$tools" --configfile "$work/nuget.config" >/dev/null 2>&1
out=$(cd "$app" && "$tools/vmxgen" check --overlay spec 2>&1)
if [[ $? == 0 && "$out" == "spec OK:"* ]]; then pass "installed tool check --overlay"; else fail "installed tool check --overlay" "$out"; fi
(cd "$app" && "$tools/vmxgen" generate c --overlay spec --out include/vmx/generated >/dev/null 2>&1)
if grep -q "VMCS_VENDOR_GUEST_EXTRA 0x000028FEu" "$app/include/vmx/generated/vmcs_fields.h" 2>/dev/null &&
   grep -q "VMX_PROC3_VENDOR_FEATURE (1ull << 20)" "$app/include/vmx/generated/vmx_controls.h"; then pass "installed tool generate c --overlay"
else fail "installed tool generate c --overlay" "no VMCS_VENDOR_GUEST_EXTRA or VMX_PROC3_VENDOR_FEATURE"; fi
out=$(cd "$bad" && "$tools/vmxgen" check --overlay spec 2>&1)
if [[ "$out" == *"spec/vendor.yaml("*"): error VMX0006"* ]]; then pass "installed tool locates the clash"; else fail "installed tool locates the clash" "$out"; fi

# 3b. VmxGenerateCHeaders: dotnet build writes the consumer's C headers, again only when a spec file changed (the
# target's Inputs/Outputs), each through vmxgen's atomic writer (no temporary file left, unchanged headers untouched).
hdr=$work/hdr
project "$hdr"
cp "$work/nuget.config" "$hdr/"
vendor_yaml > "$hdr/spec/vendor.yaml"
echo 'System.Console.WriteLine();' > "$hdr/Program.cs"
headers=$hdr/include/vmx/generated
hbuild() { (cd "$hdr" && dotnet build -nologo -p:VmxGenerateCHeaders=true -p:VmxgenCommand="$tools/vmxgen" 2>&1); }
mtime() { date -r "$1" +%s%N 2>/dev/null; }
stamp=$hdr/obj/Debug/net10.0/vmxgen-c.stamp   # touched each time the target runs
out1=$(hbuild); fields1=$(mtime "$headers/vmcs_fields.h"); msrs1=$(mtime "$headers/vmx_msrs.h"); stamp1=$(mtime "$stamp")
sleep 1; echo '// unrelated edit' >> "$hdr/Program.cs"
out2=$(hbuild); fields2=$(mtime "$headers/vmcs_fields.h"); stamp2=$(mtime "$stamp")
sleep 1; sed -i 's/title: Vendor guest extra/title: Vendor guest extra, renamed/' "$hdr/spec/vendor.yaml"
out3=$(hbuild); fields3=$(mtime "$headers/vmcs_fields.h"); msrs3=$(mtime "$headers/vmx_msrs.h"); stamp3=$(mtime "$stamp")
why=""
grep -q "VMCS_VENDOR_GUEST_EXTRA 0x000028FEu" "$headers/vmcs_fields.h" 2>/dev/null || why="$why; no header after the first build: $(echo "$out1" | grep -E 'error' | head -2)"
[[ -n "$fields1" && "$fields1" == "$fields2" && -n "$stamp1" && "$stamp1" == "$stamp2" ]] ||
  why="$why; a build without a spec change ran the target or rewrote vmcs_fields.h"
[[ "$fields3" != "$fields2" && "$stamp3" != "$stamp2" ]] && grep -q "Vendor guest extra, renamed" "$headers/vmcs_fields.h" || why="$why; the YAML edit did not regenerate vmcs_fields.h"
[[ -n "$msrs1" && "$msrs1" == "$msrs3" ]] || why="$why; an unchanged header (vmx_msrs.h) was rewritten"
[[ -z "$(find "$hdr/include" -name '*.tmp-*')" ]] || why="$why; temporary files left"
if [[ -z "$why" ]]; then pass "VmxGenerateCHeaders regenerates only after a YAML edit"; else fail "VmxGenerateCHeaders regenerates only after a YAML edit" "${why#; }"; fi

# 4. A C program compiles against the installed headers with pkg-config --cflags.
prefix=$work/prefix
make -s -C "$root/driver" install PREFIX="$prefix" >/dev/null
cat > "$work/main.c" <<'C'
#include <stdio.h>
#include <vmx/generated/vmcs_fields.h>
#include <vmx/generated/vmx_msrs.h>
int main(void) { printf("%x %x\n", (unsigned)VMCS_GUEST_CR0, (unsigned)VMX_MSR_IA32_VMX_BASIC); return 0; }
C
if cc -std=c11 -Wall -Wextra -Werror -pedantic $(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags vmxgen) "$work/main.c" -o "$work/main" 2>"$work/cc.err" &&
   [[ "$("$work/main")" == "6800 480" ]]; then pass "C program with pkg-config --cflags"
else fail "C program with pkg-config --cflags" "$(head -3 "$work/cc.err")"; fi

# 5. The VM-entry checks from the installed headers (vmx_checks.h includes ../check_engine.h): every field reads as
# 0, so every check reports once and host TR selector 0 is a violation; without capability MSRs or facts nothing else is.
cat > "$work/checks.c" <<'C'
#include <stdio.h>
#define VMX_CHECKS_IMPLEMENTATION
#include <vmx/generated/vmx_checks.h>
static unsigned reports;
static int tr_verdict;
static int zero(void *ctx, uint32_t encoding, uint64_t *value) { (void)ctx; (void)encoding; *value = 0; return 0; }
static void report(void *user, const struct vmx_check_info *check, enum vmx_check_verdict verdict, const uint64_t *values,
		   unsigned count)
{
	(void)user; (void)values; (void)count;
	reports++;
	if (check == &vmx_check_infos[VMX_CHECK_HOST_TR_SELECTOR_NONZERO])
		tr_verdict = verdict;
}
int main(void)
{
	struct vmx_check_env env = { zero, NULL, NULL, NULL, NULL };
	int violations = vmx_check_vm_entry(&env, report, NULL);
	printf("%d %d %d\n", reports == VMX_CHECK_COUNT, tr_verdict == VMX_CHECK_VIOLATED, violations > 0);
	return 0;
}
C
if cc -std=c11 -Wall -Wextra -Werror -pedantic $(PKG_CONFIG_PATH=$prefix/lib/pkgconfig pkg-config --cflags vmxgen) "$work/checks.c" -o "$work/checks" 2>"$work/cc.err" &&
   [[ "$("$work/checks")" == "1 1 1" ]]; then pass "C VM-entry checks with pkg-config --cflags"
else fail "C VM-entry checks with pkg-config --cflags" "$(head -3 "$work/cc.err")"; fi

# 6. Packing again gives byte-identical packages (deterministic pack: DeterministicTimestamp in Directory.Build.props).
repack=$work/repack
for project in generator/Vmx.Generator runtime/Vmx.Runtime generator/Vmx.Cli; do
  (cd "$root" && env -u NUGET_PACKAGES dotnet pack "$project" -c "${CONFIGURATION:-Release}" -nologo -p:ContinuousIntegrationBuild=true \
     -o "$repack" >/dev/null 2>&1)
done
differ=""
for package in "$feed"/*.nupkg; do
  [[ "$(sha256sum < "$package")" == "$(sha256sum < "$repack/$(basename "$package")" 2>/dev/null)" ]] || differ="$differ $(basename "$package")"
done
if [[ -z "$differ" && -n "$(ls "$feed"/*.nupkg 2>/dev/null)" ]]; then pass "a second pack is byte-identical"
else fail "a second pack is byte-identical" "differ:$differ"; fi
