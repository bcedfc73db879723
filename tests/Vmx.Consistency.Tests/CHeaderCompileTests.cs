using System.IO;
using System.Linq;
using Xunit;

namespace Vmx.Consistency.Tests;

/// <summary>The generated headers are clean C11 under gcc and clang, with and without the accessor hooks,
/// hosted and freestanding (no libc).</summary>
public class CHeaderCompileTests
{
    private static string IncludeAll() => string.Concat(Directory.GetFiles(Repo.GeneratedHeaders, "*.h")
        .OrderBy(p => p).Select(p => $"#include \"{Path.GetFileName(p)}\"\n"));

    private const string Hooks = """
        #include <stdint.h>
        static int fake_vmread(uint32_t encoding, uint64_t *value) { *value = encoding; return 0; }
        static int fake_vmwrite(uint32_t encoding, uint64_t value) { return (int)((encoding ^ value) & 0); }
        #define VMXGEN_VMREAD(e, v) fake_vmread((e), (v))
        #define VMXGEN_VMWRITE(e, v) fake_vmwrite((e), (v))

        """;

    public static TheoryData<string, bool, bool> Cases()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var compiler in new[] { "gcc", CCompiler.Clang ?? "clang" })
            foreach (var hooks in new[] { false, true })
                foreach (var freestanding in new[] { false, true })
                    data.Add(compiler, hooks, freestanding);
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Headers_compile_without_warnings(string compiler, bool withAccessors, bool freestanding)
    {
        var dir = Repo.TempDirectory();
        // The accessors must actually be used, or unused static inline functions would hide type errors.
        var body = withAccessors
            ? "uint16_t s; uint64_t q; return vmcs_read_guest_es_selector(&s) + vmcs_write_guest_cr0(0) + vmcs_read_exit_qualification(&q) + (int)vmcs_field_table()[0].encoding;"
            : "return (int)VMCS_GUEST_ES_SELECTOR + (int)VMX_PIN_NMI_EXITING;";
        // With the accessors, the VM-entry checks' definitions (vmx_check_vm_entry and its tables) are compiled too.
        var source = (withAccessors ? Hooks + "#define VMX_CHECKS_IMPLEMENTATION\n" : "") + IncludeAll() + $"int vmxgen_probe(void) {{ {body} }}\n";
        var flags = "-c" + (freestanding ? " -ffreestanding -nostdlib" : "");

        var (exit, output) = CCompiler.Compile(compiler, source, Path.Combine(dir, "probe.o"), flags);

        Assert.True(exit == 0, $"{compiler} {flags}:\n{output}");
    }

    [Fact]
    public void A_broken_use_of_the_headers_is_caught_by_the_strict_flags()
    {
        // The failing case for the test above: writing a read-only field has no accessor, so this must not compile.
        var dir = Repo.TempDirectory();
        var source = Hooks + IncludeAll() + "int vmxgen_probe(void) { return vmcs_write_exit_qualification(0); }\n";
        var (exit, _) = CCompiler.Compile("gcc", source, Path.Combine(dir, "probe.o"), "-c");
        Assert.NotEqual(0, exit);
    }
}
