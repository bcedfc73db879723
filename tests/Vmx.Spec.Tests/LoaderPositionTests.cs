using System.IO;
using System.Linq;
using Vmx.Spec.Lint;
using Xunit;

namespace Vmx.Spec.Tests;

/// <summary>Positions are 1-based lines and columns; Start/End are 0-based character offsets with End exclusive,
/// as Roslyn's TextSpan and LinePositionSpan take them. An entry spans from its first key to the end of its last value.</summary>
public class LoaderPositionTests
{
    [Fact]
    public void Entry_spans_from_its_first_key_to_the_end_of_its_last_value()
    {
        var text = BaseYaml.Vmcs16;
        var loaded = TestSpec.Load(text);
        var model = loaded.Model;

        var es = loaded.Sources[model.VmcsFields[0]];
        Assert.Equal((TestSpec.Path, 8, 9), (es.Path, es.Line, es.Column));
        // Lines 1-7 hold 29 + 13 + 36 + 39 + 14 + 22 + 12 = 165 characters; "      - " puts the key at 165 + 8.
        Assert.Equal(173, es.Start);
        Assert.StartsWith("id: guest_es_selector\n", text.Substring(es.Start));
        // Line 12: "        description: " (21) + "Selector of the guest's ES segment register." (44) → exclusive end column 66.
        Assert.Equal((12, 66), (es.EndLine, es.EndColumn));
        Assert.EndsWith("description: Selector of the guest's ES segment register.", text.Substring(0, es.End));
        Assert.Equal('\n', text[es.End]);

        var cs = loaded.Sources[model.VmcsFields[1]];
        Assert.Equal((13, 9, 17), (cs.Line, cs.Column, cs.EndLine));
        Assert.Equal(es.End + 1 + 8, cs.Start);
        Assert.StartsWith("id: guest_cs_selector\n", text.Substring(cs.Start));
    }

    [Fact]
    public void Scalar_value_span_covers_exactly_the_value()
    {
        var text = TestSpec.ReplaceOnce(BaseYaml.Vmcs16, "        index: 0", "        index: zero");
        var d = Assert.Single(TestSpec.Load(text).Diagnostics);
        Assert.Equal(DiagnosticRule.WrongValueType, d.Rule);
        Assert.Equal((11, 16, 11, 20), (d.Location.Line, d.Location.Column, d.Location.EndLine, d.Location.EndColumn));
        Assert.Equal("zero", text.Substring(d.Location.Start, d.Location.End - d.Location.Start));
        Assert.Equal(TestSpec.Offset(text, 11, 16), d.Location.Start);
    }

    [Fact]
    public void Key_span_covers_exactly_the_key()
    {
        var text = TestSpec.ReplaceOnce(BaseYaml.Vmcs16, "        encoding: 0x0800", "        encodng: 0x0800");
        var d = TestSpec.Load(text).Diagnostics.First(x => x.Rule == DiagnosticRule.UnknownKey);
        Assert.Equal((10, 9, 10, 16), (d.Location.Line, d.Location.Column, d.Location.EndLine, d.Location.EndColumn));
        Assert.Equal("encodng", text.Substring(d.Location.Start, d.Location.End - d.Location.Start));
    }

    [Fact]
    public void Nested_entries_are_located_in_every_kind()
    {
        var controlsResult = TestSpec.Load(BaseYaml.Controls);
        var controls = controlsResult.Model;
        Assert.Equal((39, 5), (controlsResult.Sources[controls.ControlFields[0]].Line, controlsResult.Sources[controls.ControlFields[0]].Column));
        Assert.Equal((50, 9), (controlsResult.Sources[controls.ControlFields[0].Bits[1]].Line, controlsResult.Sources[controls.ControlFields[0].Bits[1]].Column));
        Assert.Equal((61, 9), (controlsResult.Sources[controls.ControlFields[1].Bits[0]].Line, controlsResult.Sources[controls.ControlFields[1].Bits[0]].Column));
        // A control field's span ends with its last bit's description.
        Assert.Equal(54, controlsResult.Sources[controls.ControlFields[0]].EndLine);
        Assert.Equal((34, 5), (controlsResult.Sources[controls.Msrs[1]].Line, controlsResult.Sources[controls.Msrs[1]].Column));

        var layoutsResult = TestSpec.Load(BaseYaml.Layouts);
        var layouts = layoutsResult.Model;
        Assert.Equal((14, 5), (layoutsResult.Sources[layouts.Layouts[0]].Line, layoutsResult.Sources[layouts.Layouts[0]].Column));
        Assert.Equal((25, 9, 28), (layoutsResult.Sources[layouts.Layouts[0].Fields[2]].Line, layoutsResult.Sources[layouts.Layouts[0].Fields[2]].Column,
            layoutsResult.Sources[layouts.Layouts[0].Fields[2]].EndLine));
        Assert.Equal((10, 9), (layoutsResult.Sources[layouts.Enums[0].Values[1]].Line, layoutsResult.Sources[layouts.Enums[0].Values[1]].Column));

        var tablesResult = TestSpec.Load(BaseYaml.Tables);
        var tables = tablesResult.Model;
        Assert.Equal((15, 5, 17), (tablesResult.Sources[tables.ExitReasons[1]].Line, tablesResult.Sources[tables.ExitReasons[1]].Column, tablesResult.Sources[tables.ExitReasons[1]].EndLine));
        Assert.Equal((22, 5), (tablesResult.Sources[tables.InstructionErrors[1]].Line, tablesResult.Sources[tables.InstructionErrors[1]].Column));
    }

    [Fact]
    public void Windows_line_endings_count_the_same_lines_and_columns()
    {
        var crlf = BaseYaml.Vmcs16.Replace("\n", "\r\n");
        var text = TestSpec.ReplaceOnce(crlf, "        index: 1", "        index: 2");
        var d = Assert.Single(TestSpec.Load(text).Diagnostics);
        Assert.Equal((13, 9), (d.Location.Line, d.Location.Column));
        // Offsets index the text as given (a TextSpan over the file), \r included.
        Assert.StartsWith("id: guest_cs_selector\r\n", text.Substring(d.Location.Start));
        Assert.EndsWith("segment register.", text.Substring(0, d.Location.End));
    }

    [Fact]
    public void Every_field_of_the_real_spec_is_located_at_its_id_key()
    {
        var result = SpecLoaderTests.LoadRealSpec();
        var lines = Directory.GetFiles(TestSpec.SpecDirectory, "*.yaml", SearchOption.AllDirectories)
            .ToDictionary(p => Path.GetRelativePath(TestSpec.RepoRoot, p), File.ReadAllLines);
        foreach (var field in result.Model.VmcsFields)
        {
            var line = lines[result.Sources[field].Path][result.Sources[field].Line - 1];
            Assert.True(line.Substring(result.Sources[field].Column - 1) == "id: " + field.Id, $"{result.Sources[field]}: '{line}' for {field.Id}");
        }
        foreach (var bit in result.Model.ControlFields.SelectMany(c => c.Bits))
        {
            var line = lines[result.Sources[bit].Path][result.Sources[bit].Line - 1];
            Assert.Equal("id: " + bit.Id, line.Substring(result.Sources[bit].Column - 1));
        }
    }
}
