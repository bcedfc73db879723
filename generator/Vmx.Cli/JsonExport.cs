using System.IO;
using System.Linq;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Vmx.Spec.Checks;
using Vmx.Spec.Lint;
using Vmx.Spec.Model;

namespace Vmx.Cli;

/// <summary>The whole model as JSON, for tools in other languages. Numbers are JSON integers; every entry has a
/// <c>name</c>; fields carry <c>encoding</c>, exit reasons <c>exitReason</c>, errors <c>instructionError</c>,
/// MSRs <c>address</c>, layout fields <c>lsb</c>/<c>width</c>; VM-entry checks (after <c>each</c> expansion) their
/// <c>outcome</c> (<c>kind</c> vmfail or exit, <c>number</c>, <c>qualification</c> when fixed) and the conditions and message
/// in the check language, as the spec writes them.</summary>
public static class JsonExport
{
    public static void Write(SpecModel model, TextWriter output)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("sdmRevision", string.Join(", ", model.VmcsFields.Select(f => f.SdmRevision).Distinct()));
            Array(json, "vmcsFields", model.VmcsFields, (j, f) =>
            {
                j.WriteString("name", f.Id);
                j.WriteString("title", f.Title);
                j.WriteNumber("encoding", f.Encoding);
                if (f.HasHighAccess) j.WriteNumber("highEncoding", f.HighEncoding);
                j.WriteString("width", FieldText.Describe(f.Width));
                j.WriteString("type", FieldText.Describe(f.Type));
                j.WriteNumber("index", f.Index);
                j.WriteBoolean("readOnly", f.IsReadOnly);
                j.WriteStartArray("existsIfAnyAllowed");
                foreach (var r in f.Exists.AnyOf) j.WriteStringValue(r.ToString());
                j.WriteEndArray();
                j.WriteBoolean("seamOnly", f.Exists.SeamOnly);
                j.WriteString("group", f.Group);
                j.WriteString("section", f.Section);
                j.WriteString("description", f.Description);
            });
            Array(json, "controlFields", model.ControlFields, (j, c) =>
            {
                j.WriteString("name", c.Id);
                j.WriteString("title", c.Title);
                j.WriteString("field", c.Field);
                j.WriteString("capabilityMsr", c.CapabilityMsr);
                if (c.TrueCapabilityMsr is not null) j.WriteString("trueCapabilityMsr", c.TrueCapabilityMsr);
                if (c.EnabledBy is not null) j.WriteString("enabledBy", c.EnabledBy.ToString());
                j.WriteString("section", c.Section);
                Array(j, "bits", c.Bits, (jb, b) =>
                {
                    jb.WriteString("name", b.Id);
                    jb.WriteString("title", b.Title);
                    jb.WriteNumber("bit", b.Bit);
                    jb.WriteBoolean("default1", b.Default1);
                    jb.WriteString("description", b.Description);
                });
            });
            Array(json, "layouts", model.Layouts, (j, l) =>
            {
                j.WriteString("name", l.Id);
                j.WriteString("title", l.Title);
                j.WriteNumber("width", l.Width);
                j.WriteString("section", l.Section);
                Array(j, "fields", l.Fields, (jf, f) =>
                {
                    jf.WriteString("name", f.Id);
                    jf.WriteString("title", f.Title);
                    jf.WriteNumber("lsb", f.Lsb);
                    jf.WriteNumber("width", f.Width);
                    if (f.Enum is not null) jf.WriteString("enum", f.Enum);
                    jf.WriteString("description", f.Description);
                });
            });
            Array(json, "enums", model.Enums, (j, e) =>
            {
                j.WriteString("name", e.Id);
                j.WriteString("title", e.Title);
                Array(j, "values", e.Values, (jv, v) =>
                {
                    jv.WriteString("name", v.Id);
                    jv.WriteNumber("value", v.Value);
                    jv.WriteString("title", v.Title);
                });
            });
            Array(json, "msrs", model.Msrs, (j, m) =>
            {
                j.WriteString("name", m.Name);
                j.WriteString("id", m.Id);
                j.WriteNumber("address", m.Address);
                j.WriteString("title", m.Title);
                if (m.Layout is not null) j.WriteString("layout", m.Layout);
            });
            Array(json, "exitReasons", model.ExitReasons, (j, x) =>
            {
                j.WriteString("name", x.Id);
                j.WriteNumber("exitReason", x.Number);
                j.WriteString("title", x.Title);
                if (x.Qualification is not null) j.WriteString("qualification", x.Qualification);
                if (x.QualificationByVector.Count > 0)
                    Array(j, "qualificationByVector", x.QualificationByVector.OrderBy(v => v.Vector), (jv, v) =>
                    {
                        jv.WriteNumber("vector", v.Vector);
                        jv.WriteString("layout", v.Layout);
                    });
            });
            Array(json, "instructionErrors", model.InstructionErrors, (j, x) =>
            {
                j.WriteString("name", x.Id);
                j.WriteNumber("instructionError", x.Number);
                j.WriteString("title", x.Title);
            });
            Array(json, "cpuid", model.Cpuid, (j, x) =>
            {
                j.WriteString("name", x.Id);
                j.WriteNumber("leaf", x.Leaf);
                if (x.Subleaf is { } subleaf) j.WriteNumber("subleaf", subleaf);
                j.WriteString("register", x.Register);
                j.WriteNumber("lsb", x.Lsb);
                j.WriteNumber("width", x.Width);
                j.WriteString("title", x.Title);
            });
            Array(json, "checks", CheckCompiler.Compile(model), (j, c) =>
            {
                j.WriteString("name", c.Id);
                j.WriteString("id", c.Id);
                j.WriteString("title", c.Title);
                j.WriteString("category", c.Category);
                j.WriteString("group", c.Group);
                j.WriteString("section", c.Section);
                j.WriteStartObject("outcome");
                j.WriteString("kind", c.Outcome.IsVmExit ? "exit" : "vmfail");
                j.WriteNumber("number", c.Outcome.Number);
                if (c.Outcome.Qualification is { } qualification) j.WriteNumber("qualification", qualification);
                j.WriteEndObject();
                j.WriteStartArray("inputs");
                foreach (var input in c.Inputs) j.WriteStringValue(input.Id);
                j.WriteEndArray();
                if (c.WhenSource is not null) j.WriteString("when", c.WhenSource);
                j.WriteString("require", c.RequireSource);
                j.WriteString("message", CheckExplainer.Message(c));
                if (c.Bochs is not null) j.WriteString("bochs", c.Bochs);
                if (c.Register is not null) j.WriteString("register", c.Register);
            });
            json.WriteEndObject();
        }
        output.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static void Array<T>(Utf8JsonWriter json, string name, System.Collections.Generic.IEnumerable<T> items, System.Action<Utf8JsonWriter, T> write)
    {
        json.WriteStartArray(name);
        foreach (var item in items)
        {
            json.WriteStartObject();
            write(json, item);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }
}
