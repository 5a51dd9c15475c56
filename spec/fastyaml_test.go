package spec_test

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/cachetsync/cachetsync/export"
	"github.com/cachetsync/cachetsync/internal/benchpage"
	"github.com/cachetsync/cachetsync/spec"
)

// libraryDecode decodes data as parseFile's slow path does: one document,
// and an error for none, a malformed one or a second one.
func libraryDecode(data []byte) (*yaml.Node, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var root yaml.Node
	if err := dec.Decode(&root); err != nil {
		return nil, err
	}
	var next yaml.Node
	if err := dec.Decode(&next); !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("a second document, or: %v", err)
	}
	return &root, nil
}

// sameNode returns where a and b differ in anything but comments, or "".
func sameNode(a, b *yaml.Node, path string) string {
	if (a == nil) != (b == nil) {
		return path + ": one is nil"
	}
	if a == nil {
		return ""
	}
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor ||
		a.Alias != nil || b.Alias != nil || a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: fast %+v, library %+v", path, *a, *b)
	}
	for i := range a.Content {
		if d := sameNode(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i)); d != "" {
			return d
		}
	}
	return ""
}

// checkFastYAML fails t unless fastDecode either declines data or builds
// the library's tree for it, and Parse gives the same spec and the same
// diagnostics (text and positions) with the fast path and without it. It
// reports whether the fast path took data.
func checkFastYAML(t *testing.T, name string, data []byte) bool {
	t.Helper()
	fast, ok := spec.FastDecode(data)
	lib, err := libraryDecode(data)
	if ok {
		if err != nil {
			t.Fatalf("%s: fastDecode took a document the library refuses (%v):\n%s", name, err, data)
		}
		if d := sameNode(fast, lib, ""); d != "" {
			t.Fatalf("%s: the trees differ at %s\n%s", name, d, data)
		}
	}
	s1, err1 := spec.ParseWith(true, "f.yaml", data)
	s2, err2 := spec.ParseWith(false, "f.yaml", data)
	if fmt.Sprint(err1) != fmt.Sprint(err2) || !reflect.DeepEqual(s1, s2) {
		t.Fatalf("%s: Parse differs with the fast path:\nfast: %v\nslow: %v\n%s", name, err1, err2, data)
	}
	return ok
}

// fastYAMLSeeds are the documents the differential tests start from: the
// test files, the fuzz corpus, the examples and BenchmarkPlanCLI's file.
func fastYAMLSeeds(t testing.TB) map[string][]byte {
	seeds := map[string][]byte{}
	for _, pattern := range []string{"testdata/*.yaml", "testdata/bad/*.yaml", "testdata/gooddir/*", "testdata/baddir/*/*",
		"../examples/*.yaml", "../examples/*/*.yaml", "../examples/*/*/*.yaml"} {
		paths, _ := filepath.Glob(pattern)
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				seeds[p] = data
			}
		}
	}
	corpus, _ := filepath.Glob("testdata/fuzz/*/*")
	for _, p := range corpus {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(data), "\n") {
			if lit, ok := strings.CutPrefix(line, "[]byte("); ok {
				s, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
				if err != nil {
					t.Fatalf("%s: %v", p, err)
				}
				seeds[p] = []byte(s)
			}
		}
	}
	live, want := benchpage.Synth(benchpage.Shape{Groups: 3, PerGroup: 4, Subscribers: 20})
	seeds["benchpage"] = benchpage.YAML(want)
	var exported bytes.Buffer
	if err := export.Write(&exported, live, export.Options{Subscribers: true, AllFields: true}); err != nil {
		t.Fatal(err)
	}
	seeds["export"] = exported.Bytes()
	return seeds
}

// fastYAMLDocs is the number of documents TestFastYAMLMatchesLibrary
// generates (a quarter in short mode); more search longer.
var fastYAMLDocs = flag.Int("fastyaml.docs", 1000, "documents TestFastYAMLMatchesLibrary generates")

// TestFastYAMLMatchesLibrary proves that the fast path is the library's
// decoding wherever it is taken, and that every other document (all the
// invalid ones among them) still gets the library's errors: on the test
// files, the fuzz corpus, generated documents, and mutations of all of
// them (characters inserted, replaced or deleted; lines re-indented,
// doubled or dropped).
func TestFastYAMLMatchesLibrary(t *testing.T) {
	seeds := fastYAMLSeeds(t)
	r := rand.New(rand.NewSource(13))
	docs, mutations := *fastYAMLDocs, 4
	if testing.Short() {
		docs, mutations = docs/4, 2
	}
	var taken, total int
	try := func(name string, data []byte) {
		total++
		if checkFastYAML(t, name, data) {
			taken++
		}
	}
	var all [][]byte
	for name, data := range seeds {
		try(name, data)
		all = append(all, data)
	}
	for i := range docs {
		data := []byte(genYAML(r))
		try(fmt.Sprintf("generated %d", i), data)
		all = append(all, data)
	}
	for i, data := range all {
		for j := range mutations {
			try(fmt.Sprintf("mutation %d of document %d", j, i), mutateYAML(r, data))
		}
	}
	t.Logf("the fast path took %d of %d documents", taken, total)
	if taken < total/10 {
		t.Errorf("the fast path took only %d of %d documents: the generator no longer exercises it", taken, total)
	}
}

// TestFastYAMLCoversStatusFiles proves that the files the fast path is for
// (the example, BenchmarkPlanCLI's file, what `cachetsync export` writes)
// take it: without this, a change that made it decline them would only
// show as lost speed.
func TestFastYAMLCoversStatusFiles(t *testing.T) {
	seeds := fastYAMLSeeds(t)
	for _, name := range []string{"../examples/status.yaml", "benchpage", "export"} {
		data, ok := seeds[name]
		if !ok {
			t.Fatalf("no %s", name)
		}
		if _, ok := spec.FastDecode(data); !ok {
			t.Errorf("%s: the fast path declined it", name)
		}
	}
}

// TestPlainTagShortcut proves plainTag's shortcut: a plain scalar whose
// first byte the library's resolution does not look at is a string.
func TestPlainTagShortcut(t *testing.T) {
	for c := range 256 {
		if spec.ResolvesByFirstByte(byte(c)) {
			continue
		}
		for _, rest := range []string{"", "1", "rue", "ull", "0", ".5", "e3", ":", "<", "2024-01-01"} {
			v := string(rune(c)) + rest
			if c >= 0x80 {
				v = string([]byte{byte(c)}) + rest
			}
			n := yaml.Node{Kind: yaml.ScalarNode, Value: v}
			if got := n.ShortTag(); got != "!!str" {
				t.Errorf("%q resolves to %s", v, got)
			}
		}
	}
}

// FuzzFastYAML checks on whatever the fuzzer finds that the fast path
// builds the library's tree or declines, and that Parse is the same
// either way.
func FuzzFastYAML(f *testing.F) {
	for _, data := range fastYAMLSeeds(f) {
		f.Add(data)
	}
	r := rand.New(rand.NewSource(1))
	for range 50 {
		f.Add([]byte(genYAML(r)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFastYAML(t, "fuzz", data)
	})
}

// genYAML returns a random document in and around the fast path's subset.
func genYAML(r *rand.Rand) string {
	var b strings.Builder
	if r.Intn(20) == 0 {
		b.WriteString("# a comment\n")
	}
	genBlockMapping(r, &b, 0, 0, false)
	return b.String()
}

var (
	genKeys    = []string{"groups", "components", "subscribers", "prune", "name", "email", "id", "visible", "link", "tags", "meta", "status", "x-a", "a_b", "true", "null", "y", "no", "k1", "Name"}
	genScalars = []string{
		"API", "Web site", "true", "false", "yes", "no", "null", "~", "1", "-1", "0x1F", "0o17", "1_000", "1e3", ".5", ".inf",
		"2024-01-01", "2024-01-01T10:00:00Z", "a:b", "a: b", "a #b", "a#b", "é", "naïve café", "x:", "http://a.example/b?c=d#e",
		"a, b", "[a]", "{a}", "- a", "-a", "?a", "? a", "&a", "*a", "!a", "|", ">", "@a", "`a", "%a", "<<", "a'b", `a"b`,
		"oncall@example.com", "+1", "+.inf", "0", "00", "0b101", "1.0", "1:20", "(x)", "/p", "a  b", "trailing ",
	}
	genSafeScalars = []string{"API", "Web site", "true", "1", "2024-01-01", "é ü", "oncall@example.com", "a-b", "x_y", "1.5", "null", "Yes", "on"}
	genEscapes     = []string{`\n`, `\t`, `\"`, `\\`, `\/`, `\x41`, `\xe9`, `\u00e9`, `\u200b`, `\U0001F680`, `\0`, `\e`, `\N`, `\_`, `\L`, `\P`, `\ `, `\q`, `\ud800`, `\x4`, `\'`}
)

func genScalar(r *rand.Rand, flow bool) string {
	s := genScalars[r.Intn(len(genScalars))]
	if r.Intn(2) == 0 {
		s = genSafeScalars[r.Intn(len(genSafeScalars))]
	}
	switch r.Intn(6) {
	case 0, 1:
		return s
	case 2:
		return "'" + strings.ReplaceAll(s, "'", "''") + "'"
	case 3:
		var b strings.Builder
		b.WriteByte('"')
		for range r.Intn(3) {
			b.WriteString(strings.ReplaceAll(strings.ReplaceAll(s, `\`, `\\`), `"`, `\"`))
			b.WriteString(genEscapes[r.Intn(len(genEscapes))])
		}
		b.WriteByte('"')
		return b.String()
	case 4:
		return strconv.Quote(s)
	}
	if flow {
		return s
	}
	return s + " # c"
}

func genFlow(r *rand.Rand) string {
	n := r.Intn(4)
	items := make([]string, n)
	if r.Intn(2) == 0 {
		for i := range items {
			items[i] = genScalar(r, true)
		}
		return "[" + strings.Join(items, []string{", ", ",", " , "}[r.Intn(3)]) + "]"
	}
	for i := range items {
		items[i] = genKeys[r.Intn(len(genKeys))] + ": " + genScalar(r, true)
	}
	return "{" + strings.Join(items, ", ") + "}"
}

func genBlockMapping(r *rand.Rand, b *strings.Builder, indent, depth int, inline bool) {
	n := 1 + r.Intn(4)
	for i := range n {
		if i > 0 || !inline {
			if r.Intn(8) == 0 {
				fmt.Fprintf(b, "%s# note\n", strings.Repeat(" ", r.Intn(indent+3)))
			}
			if r.Intn(10) == 0 {
				b.WriteString("\n")
			}
			b.WriteString(strings.Repeat(" ", indent))
		}
		b.WriteString(genKeys[r.Intn(len(genKeys))])
		b.WriteString(":")
		genValue(r, b, indent, depth)
	}
}

func genValue(r *rand.Rand, b *strings.Builder, indent, depth int) {
	k := r.Intn(10)
	if depth >= 4 && k >= 6 {
		k = 0
	}
	if k == 5 && r.Intn(3) > 0 {
		k = 0 // an empty value: the fast path declines it
	}
	switch {
	case k < 3:
		b.WriteString(" " + genScalar(r, false) + "\n")
	case k < 5:
		b.WriteString(" " + genFlow(r) + "\n")
	case k < 6:
		b.WriteString("\n")
	case k < 8:
		if r.Intn(4) == 0 {
			b.WriteString(" # c")
		}
		b.WriteString("\n")
		genBlockMapping(r, b, indent+1+r.Intn(4), depth+1, false)
	default:
		b.WriteString("\n")
		genBlockSequence(r, b, indent+r.Intn(4), depth+1)
	}
}

func genBlockSequence(r *rand.Rand, b *strings.Builder, indent, depth int) {
	for range 1 + r.Intn(4) {
		b.WriteString(strings.Repeat(" ", indent) + "-")
		if r.Intn(2) == 0 {
			b.WriteString(strings.Repeat(" ", 1+r.Intn(2)))
			genBlockMapping(r, b, indent+b.Len()-strings.LastIndexByte(b.String(), '\n')-1-indent, depth+1, true)
			continue
		}
		switch r.Intn(3) {
		case 0:
			b.WriteString(" " + genScalar(r, false) + "\n")
		case 1:
			b.WriteString(" " + genFlow(r) + "\n")
		default:
			b.WriteString("\n")
		}
	}
}

var mutationBits = []string{" ", "  ", "\n", ":", ": ", "-", "- ", "#", " #", "'", "\"", "[", "]", "{", "}", ",", "\\", "\t", "\r",
	"&a ", "*a", "!!str ", "|", ">", "?", "é", "x", "0", "---\n", "...\n", "\u2028", "\xef\xbb\xbf", "\xff", "\x00", "<<: "}

// mutateYAML changes data once: a character sequence inserted, replaced or
// deleted, or a line re-indented, doubled or dropped.
func mutateYAML(r *rand.Rand, data []byte) []byte {
	s := string(data)
	if s == "" {
		return []byte(mutationBits[r.Intn(len(mutationBits))])
	}
	i := r.Intn(len(s) + 1)
	bit := mutationBits[r.Intn(len(mutationBits))]
	switch r.Intn(6) {
	case 0:
		return []byte(s[:i] + bit + s[i:])
	case 1:
		if i < len(s) {
			return []byte(s[:i] + bit + s[i+1:])
		}
	case 2:
		if i < len(s) {
			return []byte(s[:i] + s[i+1:])
		}
	}
	lines := strings.SplitAfter(s, "\n")
	l := r.Intn(len(lines))
	switch r.Intn(4) {
	case 0:
		lines[l] = strings.Repeat(" ", 1+r.Intn(2)) + lines[l]
	case 1:
		lines[l] = strings.TrimPrefix(lines[l], " ")
	case 2:
		lines = append(lines[:l+1], lines[l:]...)
	default:
		lines = append(lines[:l], lines[l+1:]...)
	}
	return []byte(strings.Join(lines, ""))
}
