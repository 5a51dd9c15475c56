package cachettest

import "testing"

// TestTwigRender: expected texts were produced by Twig v2.15.5 (Cachet 2.4's
// composer.lock) with Cachet's loader and sandbox policy
// (app/Bus/Handlers/Commands/Incident/CreateIncidentCommandHandler.php:139-168,
// config/cachet.php:59-65); "" means Twig throws (a 500).
func TestTwigRender(t *testing.T) {
	e := New()
	cases := []struct {
		tpl  string
		vars map[string]any
		want string
	}{
		{"Name: {{ name }},\nMessage: {{ message }}", map[string]any{"name": "Foo", "message": "Hello there this is a foo!"}, "Name: Foo,\nMessage: Hello there this is a foo! "},
		{"x {{ a }} y", map[string]any{"a": `<b>&"'`}, "x &lt;b&gt;&amp;&quot;&#039; y "},
		{"{{ a|escape }}", map[string]any{"a": "<"}, "&lt; "},
		{"{{ a|e }}", map[string]any{"a": "<"}, ""},
		{"{{ a|raw }}", map[string]any{"a": "<"}, ""},
		{"{{ a|upper }}", map[string]any{"a": "x"}, ""},
		{"{{ a }}", map[string]any{"a": map[string]any{"x": 1}}, ""},
		{"A{% if a %}yes{% else %}no{% endif %}B", map[string]any{"a": 1}, "AyesB "},
		{"A{% if a %}yes{% else %}no{% endif %}B", map[string]any{"a": "0"}, "AnoB "},
		{"{% if not a %}\nnone\n{% endif %}\nend", nil, "none\nend "},
		{"{% if a %}1{% elseif b %}2{% else %}3{% endif %}", map[string]any{"b": true}, "2 "},
		{"{% if a %}{% if b %}ab{% endif %}a{% endif %}.", map[string]any{"a": 1, "b": 0}, "a. "},
		{"{# note #}x{{ incident.name }}", map[string]any{"incident": map[string]any{"name": "N"}}, "xN "},
		{"{% for x in a %}{{ x }}{% endfor %}", map[string]any{"a": []any{1}}, ""},
		{"{% if incident.component %}c{% endif %}", map[string]any{"incident": map[string]any{"component": twigObject{}}}, "c "},
		{"{{ incident.component.name }}", map[string]any{"incident": map[string]any{"component": twigObject{}}}, ""},
	}
	for _, tc := range cases {
		got, err := e.render(tc.tpl, tc.vars)
		if tc.want == "" {
			if err == nil {
				t.Errorf("%q: %q, want an error", tc.tpl, got)
			}
			continue
		}
		if err != nil || got != tc.want {
			t.Errorf("%q = %q, %v; want %q", tc.tpl, got, err, tc.want)
		}
	}
}
