using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using Vmx.Spec.Emit;
using Vmx.Spec.Lint;
using Vmx.Spec.Loading;
using Xunit;

namespace Vmx.Spec.Tests;

/// <summary>The C header carries the SDM's numbers. Expected values are written by hand from the SDM; the
/// #define lines are parsed loosely (digits, case, suffix) so that layout changes of the template do not matter.</summary>
public class EmitterTests
{
    private static readonly Regex Define = new(@"^#define\s+(\w+)\s+\(?\s*(0x[0-9A-Fa-f]+|\d+)(?:u|U|ul|UL|ull|ULL)?\b", RegexOptions.Multiline);

    private static Dictionary<string, ulong> Defines(IEnumerable<GeneratedFile> files)
    {
        var defines = new Dictionary<string, ulong>();
        foreach (var file in files)
            foreach (Match m in Define.Matches(file.Content))
            {
                var text = m.Groups[2].Value;
                defines[m.Groups[1].Value] = text.StartsWith("0x")
                    ? ulong.Parse(text.Substring(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture)
                    : ulong.Parse(text, CultureInfo.InvariantCulture);
            }
        return defines;
    }

    private static SpecResult Tiny() => SpecLinker.Link(new[]
    {
        SpecFileParser.Parse("spec/vmcs/a.yaml", BaseYaml.Vmcs16),
        SpecFileParser.Parse("spec/vmcs/b.yaml", BaseYaml.Vmcs64),
        SpecFileParser.Parse("spec/controls/c.yaml", BaseYaml.Controls),
        SpecFileParser.Parse(TestSpec.EncodingPath, BaseYaml.Encoding),
    });

    [Fact]
    public void Tiny_spec_c_header_holds_the_sdm_encodings()
    {
        var result = Tiny();
        Assert.False(result.HasErrors, TestSpec.Describe(result));
        var files = Emitter.Emit(result.Model, OutputKind.C);
        Assert.Contains(files, f => f.Path == "vmcs_fields.h");
        var d = Defines(files);

        Assert.Equal(0x0800UL, d["VMCS_GUEST_ES_SELECTOR"]);
        Assert.Equal(0x0802UL, d["VMCS_GUEST_CS_SELECTOR"]);
        Assert.Equal(0x2800UL, d["VMCS_VMCS_LINK_POINTER"]);
        Assert.Equal(0x2801UL, d["VMCS_VMCS_LINK_POINTER_HIGH"]);
        Assert.Equal(0x2804UL, d["VMCS_GUEST_IA32_PAT"]);
        Assert.Equal(0x2805UL, d["VMCS_GUEST_IA32_PAT_HIGH"]);
        Assert.Equal(0x4000UL, d["VMCS_PIN_BASED_VM_EXECUTION_CONTROLS"]);
        Assert.Equal(0x4012UL, d["VMCS_VM_ENTRY_CONTROLS"]);
        // Only 64-bit fields have a high half.
        Assert.False(d.ContainsKey("VMCS_GUEST_ES_SELECTOR_HIGH"));
        Assert.False(d.ContainsKey("VMCS_VM_ENTRY_CONTROLS_HIGH"));
        Assert.Equal(6UL, d["VMCS_FIELD_COUNT"]);

        Assert.Equal(3UL, d["VMX_PIN_NMI_EXITING_BIT"]);
        Assert.Equal(1UL << 3, MaskOf(files, "VMX_PIN_NMI_EXITING"));
        Assert.Equal(14UL, d["VMX_ENTRY_LOAD_IA32_PAT_BIT"]);
    }

    [Fact]
    public void Tiny_spec_emits_every_output_kind_without_errors()
    {
        var model = Tiny().Model;
        foreach (var kind in new[] { OutputKind.C, OutputKind.Docs, OutputKind.CSharp })
        {
            var files = Emitter.Emit(model, kind);
            Assert.NotEmpty(files);
            Assert.All(files, f => Assert.False(string.IsNullOrWhiteSpace(f.Content), f.Path));
            Assert.Equal(files.Count, files.Select(f => f.Path).Distinct().Count());
        }
        Assert.Contains("guest_es_selector", string.Concat(Emitter.Emit(model, OutputKind.Docs).Select(f => f.Content)));
    }

    [Fact]
    public void Real_spec_c_header_holds_the_sdm_encodings_and_default1_classes()
    {
        var files = Emitter.Emit(SpecLoaderTests.LoadRealSpec().Model, OutputKind.C);
        var d = Defines(files);
        // SDM Appendix B.
        Assert.Equal(0x681EUL, d["VMCS_GUEST_RIP"]);
        Assert.Equal(0x201AUL, d["VMCS_EPT_POINTER"]);
        Assert.Equal(0x201BUL, d["VMCS_EPT_POINTER_HIGH"]);
        Assert.Equal(0x4402UL, d["VMCS_EXIT_REASON"]);
        Assert.Equal(0x6C16UL, d["VMCS_HOST_RIP"]);
        Assert.Equal(206UL, d["VMCS_FIELD_COUNT"]);
        // SDM A.3.1, A.3.2, A.4, A.5: the default1 class of each control field.
        Assert.Equal(0x16UL, d["VMX_PIN_DEFAULT1"]);
        Assert.Equal(0x0401E172UL, d["VMX_PROC_DEFAULT1"]);
        Assert.Equal(0x00036DFFUL, d["VMX_EXIT_DEFAULT1"]);
        Assert.Equal(0x000011FFUL, d["VMX_ENTRY_DEFAULT1"]);
        // SDM "Secondary Processor-Based VM-Execution Controls": enable EPT is bit 1, unrestricted guest bit 7.
        Assert.Equal(1UL, d["VMX_PROC2_ENABLE_EPT_BIT"]);
        Assert.Equal(7UL, d["VMX_PROC2_UNRESTRICTED_GUEST_BIT"]);
    }

    [Fact]
    public void Emitting_twice_gives_the_same_text()
    {
        var model = SpecLoaderTests.LoadRealSpec().Model;
        Assert.Equal(Emitter.Emit(model, OutputKind.C), Emitter.Emit(model, OutputKind.C));
    }

    // "#define X (1u << 3)": the value of a shift expression.
    private static ulong MaskOf(IEnumerable<GeneratedFile> files, string name)
    {
        var m = Regex.Match(string.Concat(files.Select(f => f.Content)), @"^#define\s+" + name + @"\s+\(\s*1\w*\s*<<\s*(\d+)\s*\)", RegexOptions.Multiline);
        Assert.True(m.Success, name + " not defined as a shift");
        return 1UL << int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
    }
}
