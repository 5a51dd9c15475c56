package cli

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/alecthomas/kong"
)

// CompletionCmd is `cachetsync completion bash|zsh|fish`.
type CompletionCmd struct {
	Shell string `arg:"" enum:"bash,zsh,fish" help:"bash, zsh or fish."`
}

// Run prints the completion script, made from the command-line model, so
// that it always lists the commands and flags this binary has.
func (cmd *CompletionCmd) Run(g *Globals) error {
	cmds := completionModel(g.parser.Model.Node)
	switch cmd.Shell {
	case "bash":
		return writeBash(g.env.Stdout, cmds)
	case "zsh":
		return writeZsh(g.env.Stdout, cmds)
	}
	return writeFish(g.env.Stdout, cmds)
}

// completionCmd is one command as completion sees it.
type completionCmd struct {
	name, help string
	flags      []completionFlag
	files      bool // takes a file argument
}

type completionFlag struct {
	long, help string
	short      rune
	takesValue bool
	enum       []string
}

// completionModel lists the visible commands and, for each, its flags and
// those of the application (--help among them).
func completionModel(app *kong.Node) []completionCmd {
	var out []completionCmd
	for _, n := range app.Children {
		if n.Type != kong.CommandNode || n.Hidden {
			continue
		}
		c := completionCmd{name: n.Name, help: n.Help}
		for _, group := range n.AllFlags(true) {
			for _, f := range group {
				cf := completionFlag{long: f.Name, help: f.Help, short: f.Short, takesValue: !f.IsBool() && !f.IsCounter()}
				if f.Enum != "" {
					cf.enum = f.EnumSlice()
				}
				c.flags = append(c.flags, cf)
			}
		}
		for _, p := range n.Positional {
			if p.Enum == "" && !strings.EqualFold(p.Name, "command") {
				c.files = true
			}
		}
		out = append(out, c)
	}
	return out
}

func writeBash(w io.Writer, cmds []completionCmd) error {
	var b strings.Builder
	b.WriteString("# bash completion for cachetsync: source it, or save it in /etc/bash_completion.d/.\n")
	var names []string
	for _, c := range cmds {
		names = append(names, c.name)
	}
	b.WriteString(`_cachetsync() {
  local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" cmd="" i
  for ((i = 1; i < COMP_CWORD; i++)); do
    case "${COMP_WORDS[i]}" in
      -*) ;;
      *) cmd="${COMP_WORDS[i]}"; break ;;
    esac
  done
`)
	enums := map[string][]string{}
	for _, c := range cmds {
		for _, f := range c.flags {
			if len(f.enum) > 0 {
				enums[f.long] = f.enum
			}
		}
	}
	var enumFlags []string
	for f := range enums {
		enumFlags = append(enumFlags, f)
	}
	sort.Strings(enumFlags)
	b.WriteString("  case \"$prev\" in\n")
	for _, f := range enumFlags {
		fmt.Fprintf(&b, "    --%s) COMPREPLY=($(compgen -W %q -- \"$cur\")); return ;;\n", f, strings.Join(enums[f], " "))
	}
	b.WriteString("  esac\n  case \"$cmd\" in\n")
	fmt.Fprintf(&b, "    \"\") COMPREPLY=($(compgen -W %q -- \"$cur\")) ;;\n", strings.Join(names, " ")+" --help --version")
	for _, c := range cmds {
		var flags []string
		for _, f := range c.flags {
			flags = append(flags, "--"+f.long)
			if f.short != 0 {
				flags = append(flags, "-"+string(f.short))
			}
		}
		fmt.Fprintf(&b, "    %s)\n      if [[ $cur == -* ]]; then COMPREPLY=($(compgen -W %q -- \"$cur\"))", c.name, strings.Join(flags, " "))
		switch {
		case c.name == "help":
			fmt.Fprintf(&b, "\n      else COMPREPLY=($(compgen -W %q -- \"$cur\"))", strings.Join(names, " "))
		case c.name == "completion":
			b.WriteString("\n      else COMPREPLY=($(compgen -W \"bash zsh fish\" -- \"$cur\"))")
		case c.files:
			b.WriteString("\n      else COMPREPLY=($(compgen -f -- \"$cur\"))")
		}
		b.WriteString("; fi ;;\n")
	}
	b.WriteString("  esac\n}\ncomplete -o default -F _cachetsync cachetsync\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func writeFish(w io.Writer, cmds []completionCmd) error {
	var b strings.Builder
	b.WriteString("# fish completion for cachetsync: save it as ~/.config/fish/completions/cachetsync.fish.\n")
	b.WriteString("complete -c cachetsync -f\n")
	var names []string
	for _, c := range cmds {
		names = append(names, c.name)
	}
	for _, c := range cmds {
		fmt.Fprintf(&b, "complete -c cachetsync -n __fish_use_subcommand -a %s -d %s\n", c.name, fishQuote(c.help))
	}
	for _, c := range cmds {
		cond := "'__fish_seen_subcommand_from " + c.name + "'"
		for _, f := range c.flags {
			line := fmt.Sprintf("complete -c cachetsync -n %s -l %s", cond, f.long)
			if f.short != 0 {
				line += " -s " + string(f.short)
			}
			switch {
			case len(f.enum) > 0:
				line += " -x -a " + fishQuote(strings.Join(f.enum, " "))
			case f.takesValue:
				line += " -r"
			}
			b.WriteString(line + " -d " + fishQuote(f.help) + "\n")
		}
		switch {
		case c.name == "help":
			fmt.Fprintf(&b, "complete -c cachetsync -n %s -a %s\n", cond, fishQuote(strings.Join(names, " ")))
		case c.name == "completion":
			fmt.Fprintf(&b, "complete -c cachetsync -n %s -a 'bash zsh fish'\n", cond)
		case c.files:
			fmt.Fprintf(&b, "complete -c cachetsync -n %s -F\n", cond)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeZsh(w io.Writer, cmds []completionCmd) error {
	var b strings.Builder
	b.WriteString("#compdef cachetsync\n# zsh completion for cachetsync: save it as _cachetsync in a directory of $fpath, or source it.\n")
	b.WriteString("_cachetsync() {\n  local -a commands\n  commands=(\n")
	var names []string
	for _, c := range cmds {
		names = append(names, c.name)
		fmt.Fprintf(&b, "    %s\n", zshQuote(c.name+":"+c.help))
	}
	b.WriteString("  )\n  if (( CURRENT == 2 )); then\n    _describe -t commands 'cachetsync command' commands\n    return\n  fi\n  case $words[2] in\n")
	for _, c := range cmds {
		fmt.Fprintf(&b, "    %s)\n      _arguments -s \\\n", c.name)
		for _, f := range c.flags {
			help := zshHelp(f.help)
			value := ""
			switch {
			case len(f.enum) > 0:
				value = ":" + f.long + ":(" + strings.Join(f.enum, " ") + ")"
			case f.takesValue && (f.long == "file" || strings.HasSuffix(f.long, "-file") || f.long == "out" || f.long == "ca-cert" || f.long == "journal"):
				value = ":file:_files"
			case f.takesValue:
				value = ":" + f.long + ":"
			}
			eq := ""
			if f.takesValue {
				eq = "="
			}
			if f.short != 0 {
				fmt.Fprintf(&b, "        %s \\\n", zshQuote(fmt.Sprintf("(-%c --%s)", f.short, f.long))+fmt.Sprintf("{-%c,--%s%s}", f.short, f.long, eq)+zshQuote("["+help+"]"+value))
			} else {
				fmt.Fprintf(&b, "        %s \\\n", zshQuote("--"+f.long+eq+"["+help+"]"+value))
			}
		}
		switch {
		case c.name == "help":
			fmt.Fprintf(&b, "        %s\n", zshQuote("*:command:("+strings.Join(names, " ")+")"))
		case c.name == "completion":
			fmt.Fprintf(&b, "        %s\n", zshQuote(":shell:(bash zsh fish)"))
		case c.files:
			fmt.Fprintf(&b, "        %s\n", zshQuote("*:file:_files"))
		default:
			b.WriteString("        && return\n")
		}
		b.WriteString("      ;;\n")
	}
	b.WriteString("  esac\n}\n")
	b.WriteString("if [ \"$funcstack[1]\" = \"_cachetsync\" ]; then\n  _cachetsync \"$@\"\nelse\n  compdef _cachetsync cachetsync\nfi\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// zshHelp makes a flag's help fit inside _arguments' [...]: brackets and
// colons would end it.
func zshHelp(s string) string {
	return strings.NewReplacer("[", "(", "]", ")", ":", " -", "\\", "").Replace(s)
}

// zshQuote quotes s for zsh in single quotes.
func zshQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// fishQuote quotes s for fish: single quotes, with \ and ' escaped.
func fishQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
