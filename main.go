// Command cachetsync keeps a Cachet status page's component groups,
// components and subscribers in git: `plan` shows what would change,
// `apply` makes the changes in a safe order. Run `cachetsync demo` to try it.
package main

import (
	"context"
	"os"
	"os/signal"
	"sync/atomic"
	"syscall"

	"golang.org/x/term"

	"github.com/cachetsync/cachetsync/internal/cli"
)

func main() {
	cli.TuneGC(os.Args[1:], os.Getenv)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var received atomic.Value
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go func() {
		sig := <-signals
		received.Store(sig)
		// What stops is the command's to say (apply lets its calls in
		// flight finish); this line only tells how to stop at once.
		os.Stderr.WriteString("\nStopping (interrupt again to quit at once).\n")
		cancel()
		<-signals
		os.Exit(cli.ExitInterrupted)
	}()
	env := &cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv,
		Terminal: isTerminal(os.Stdin) && isTerminal(os.Stdout),
		Context:  ctx,
		Signal: func() os.Signal {
			s, _ := received.Load().(os.Signal)
			return s
		},
	}
	os.Exit(cli.Run(os.Args[1:], env))
}

// isTerminal reports whether f is a terminal. /dev/null is a character
// device but not a terminal: the terminal ioctl tells them apart.
func isTerminal(f *os.File) bool { return term.IsTerminal(int(f.Fd())) }
