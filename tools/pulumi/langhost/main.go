// Command pulumi-language-nodejs is a minimal Node.js language host for the
// pulumi CLI that this repository builds from the Go module proxy.
//
// The upstream host lives in a nested Go module
// (github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3) that the
// module proxy available to us does not serve, so `pulumi up` on a
// `runtime: nodejs` project would fail without a replacement. This host speaks
// the same gRPC protocol (pulumirpc.LanguageRuntime) and runs programs the same
// way the upstream host does: it spawns `node <@pulumi/pulumi>/cmd/run` with the
// monitor/engine addresses as flags and the configuration in the environment.
//
// What it deliberately does not do: discover provider plugins from
// node_modules, install npm dependencies, generate code/projects/packages,
// attach debuggers or run plugins written in Node.js (RunPlugin). See README.md.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/logging"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

const (
	// Module resolved (from the program directory) to find the SDK's program runner.
	// PULUMI_LANGUAGE_NODEJS_RUN_PATH overrides it, as upstream does.
	defaultRunModule = "@pulumi/pulumi/cmd/run"

	// Exit code the Node.js runner uses when it has already reported the error to the
	// user (through the engine's diagnostics); the engine should stop without printing more.
	exitCodeErrorAlreadyReported = 32
)

func main() {
	var tracing string
	flag.StringVar(&tracing, "tracing", "", "Emit tracing to a Zipkin-compatible tracing endpoint")
	showVersion := flag.Bool("version", false, "Print the plugin version and exit")
	// Accepted for compatibility with the flags the engine and older CLIs pass to language hosts.
	// glog (linked in through dependencies) may already have registered the logging flags.
	if flag.Lookup("logtostderr") == nil {
		flag.Bool("logtostderr", false, "Log to stderr instead of a file")
	}
	if flag.Lookup("v") == nil {
		flag.Int("v", 0, "Log verbosity")
	}
	flag.Bool("typescript", true, "Deprecated and ignored; use the typescript runtime option in Pulumi.yaml")
	flag.String("root", "", "Deprecated and ignored")
	flag.String("tsconfig", "", "Deprecated and ignored; use the tsconfig runtime option in Pulumi.yaml")
	flag.String("nodeargs", "", "Deprecated and ignored; use the nodeargs runtime option in Pulumi.yaml")
	flag.Parse()

	if *showVersion {
		fmt.Println(pluginVersion())
		return
	}

	logging.InitLogging(false, 0, false)
	cmdutil.InitTracing("pulumi-language-nodejs", "pulumi-language-nodejs", tracing)

	// The engine passes its own gRPC address as the positional argument.
	var engineAddress string
	if args := flag.Args(); len(args) > 0 {
		engineAddress = args[0]
	}

	// Stop serving on SIGINT (the engine interrupts its plugins on shutdown) or when
	// the engine stops answering health checks.
	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	if engineAddress != "" {
		if err := rpcutil.Healthcheck(ctx, engineAddress, 5*time.Minute, cancel); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check of the engine: %w", err))
		}
	}

	host := newHost(engineAddress, tracing)
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, host)
			return nil
		},
		Options: rpcutil.TracingServerInterceptorOptions(nil),
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start language host RPC server: %w", err))
	}

	// The engine reads exactly one line from our stdout: the port we listen on.
	fmt.Printf("%d\n", handle.Port)

	if err := <-handle.Done; err != nil {
		cmdutil.Exit(fmt.Errorf("language host RPC stopped serving: %w", err))
	}
}

// pluginVersion is the version stamped into the binary by the toolchain build
// (-X .../version.Version), else the version of the pulumi SDK module we were built with.
func pluginVersion() string {
	if version.Version != "" {
		return version.Version
	}
	if info, ok := debug.ReadBuildInfo(); ok {
		for _, dep := range info.Deps {
			if dep.Path == "github.com/pulumi/pulumi/sdk/v3" {
				return dep.Version
			}
		}
	}
	return "v3.0.0-dev"
}

type nodeHost struct {
	pulumirpc.UnimplementedLanguageRuntimeServer

	tracing string

	mu            sync.Mutex
	engineAddress string
	// Cancel functions of the programs currently running, interrupted by the Cancel RPC.
	// (The engine also calls Cancel before closing a host it attached to, so Cancel must
	// not affect programs started later.)
	running map[*exec.Cmd]context.CancelFunc
}

func newHost(engineAddress, tracing string) *nodeHost {
	return &nodeHost{engineAddress: engineAddress, tracing: tracing, running: map[*exec.Cmd]context.CancelFunc{}}
}

func (h *nodeHost) engine() string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.engineAddress
}

// Handshake is only used when the engine attaches to an already running host
// (PULUMI_DEBUG_LANGUAGES); a spawned host gets the engine address as argument.
func (h *nodeHost) Handshake(
	_ context.Context, req *pulumirpc.LanguageHandshakeRequest,
) (*pulumirpc.LanguageHandshakeResponse, error) {
	h.mu.Lock()
	h.engineAddress = req.GetEngineAddress()
	h.mu.Unlock()
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *nodeHost) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	return &pulumirpc.PluginInfo{Version: pluginVersion()}, nil
}

// GetRequiredPlugins and GetRequiredPackages report nothing: our projects ship
// their provider plugins on PATH, and plugins a program uses are still loaded on
// demand when it registers resources.
func (h *nodeHost) GetRequiredPlugins(
	context.Context, *pulumirpc.GetRequiredPluginsRequest,
) (*pulumirpc.GetRequiredPluginsResponse, error) {
	return &pulumirpc.GetRequiredPluginsResponse{}, nil
}

func (h *nodeHost) GetRequiredPackages(
	context.Context, *pulumirpc.GetRequiredPackagesRequest,
) (*pulumirpc.GetRequiredPackagesResponse, error) {
	return &pulumirpc.GetRequiredPackagesResponse{}, nil
}

func (h *nodeHost) GetProgramDependencies(
	context.Context, *pulumirpc.GetProgramDependenciesRequest,
) (*pulumirpc.GetProgramDependenciesResponse, error) {
	return &pulumirpc.GetProgramDependenciesResponse{}, nil
}

func (h *nodeHost) RuntimeOptionsPrompts(
	context.Context, *pulumirpc.RuntimeOptionsRequest,
) (*pulumirpc.RuntimeOptionsResponse, error) {
	return &pulumirpc.RuntimeOptionsResponse{}, nil
}

// InstallDependencies does not install anything (this host has no package
// manager integration); it just tells the user so.
func (h *nodeHost) InstallDependencies(
	_ *pulumirpc.InstallDependenciesRequest, server pulumirpc.LanguageRuntime_InstallDependenciesServer,
) error {
	msg := "pulumi-language-nodejs (pulumi-sync-hooks minimal host): skipping dependency installation; " +
		"run `npm install` yourself.\n"
	return server.Send(&pulumirpc.InstallDependenciesResponse{Stdout: []byte(msg)})
}

func (h *nodeHost) About(ctx context.Context, _ *pulumirpc.AboutRequest) (*pulumirpc.AboutResponse, error) {
	node, err := exec.LookPath("node")
	if err != nil {
		return nil, fmt.Errorf("could not find node on the $PATH: %w", err)
	}
	out, err := exec.CommandContext(ctx, node, "--version").Output()
	if err != nil {
		return nil, fmt.Errorf("failed to run '%s --version': %w", node, err)
	}
	return &pulumirpc.AboutResponse{Executable: node, Version: strings.TrimSpace(string(out))}, nil
}

// Cancel interrupts the programs this host is currently running.
func (h *nodeHost) Cancel(context.Context, *emptypb.Empty) (*emptypb.Empty, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	for _, cancel := range h.running {
		cancel()
	}
	return &emptypb.Empty{}, nil
}

// nodeOptions are the `runtime.options` of Pulumi.yaml that this host honours.
type nodeOptions struct {
	typescript   bool   // default true: run .ts programs through ts-node
	tsconfigPath string // tsconfig file for ts-node
	nodeArgs     []string
}

func parseOptions(opts map[string]any) (nodeOptions, error) {
	o := nodeOptions{typescript: true}
	if v, ok := opts["typescript"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			return o, errors.New("the nodejs runtime option 'typescript' must be a boolean")
		}
		o.typescript = b
	}
	if v, ok := opts["tsconfig"]; ok {
		s, isString := v.(string)
		if !isString {
			return o, errors.New("the nodejs runtime option 'tsconfig' must be a string")
		}
		o.tsconfigPath = s
	}
	if v, ok := opts["nodeargs"]; ok {
		s, isString := v.(string)
		if !isString {
			return o, errors.New("the nodejs runtime option 'nodeargs' must be a string")
		}
		args, err := splitArgs(s)
		if err != nil {
			return o, fmt.Errorf("the nodejs runtime option 'nodeargs': %w", err)
		}
		o.nodeArgs = args
	}
	// `packagemanager` only matters for dependency installation, which we do not do.
	return o, nil
}

// splitArgs splits a command line the way a POSIX shell would for the common
// cases: whitespace separates words, single quotes are literal, double quotes
// allow backslash escapes, and a backslash outside quotes escapes the next byte.
func splitArgs(s string) ([]string, error) {
	var args []string
	var cur strings.Builder
	inWord := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			if inWord {
				args = append(args, cur.String())
				cur.Reset()
				inWord = false
			}
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, errors.New("unterminated single quote")
			}
			cur.WriteString(s[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			i++
			for ; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' && i+1 < len(s) && strings.IndexByte("\"\\$`", s[i+1]) >= 0 {
					i++
				}
				cur.WriteByte(s[i])
			}
			if i >= len(s) {
				return nil, errors.New("unterminated double quote")
			}
			inWord = true
		case c == '\\':
			if i+1 >= len(s) {
				return nil, errors.New("trailing backslash")
			}
			i++
			cur.WriteByte(s[i])
			inWord = true
		default:
			cur.WriteByte(c)
			inWord = true
		}
	}
	if inWord {
		args = append(args, cur.String())
	}
	return args, nil
}

// resolveModule asks node (started in dir) where `mod` resolves to, so the SDK
// copy the program itself would load is the one used to run it.
func resolveModule(ctx context.Context, node, dir, mod string) (string, error) {
	const script = `try { console.log(require.resolve(process.argv[1])); } catch (e) {` +
		` if (e.code === 'MODULE_NOT_FOUND') { console.error("It looks like the Pulumi SDK has not been installed.` +
		` Have you run npm install?"); } else { console.error(e.message); } process.exit(1); }`
	cmd := exec.CommandContext(ctx, node, "-e", script, mod)
	cmd.Dir = dir
	out, err := cmd.Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) && len(ee.Stderr) > 0 {
			return "", errors.New(strings.TrimSpace(string(ee.Stderr)))
		}
		return "", fmt.Errorf("could not resolve %s from %s: %w", mod, dir, err)
	}
	return strings.TrimSpace(string(out)), nil
}

// Run executes the program: `node [nodeargs] <run> <flags> <entry point> [args]`.
// Errors of the program itself are returned in RunResponse, not as RPC errors.
func (h *nodeHost) Run(ctx context.Context, req *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	engineAddress := h.engine()
	if engineAddress == "" {
		return nil, errors.New("the engine address is unknown: call Handshake before Run")
	}

	info := req.GetInfo()
	programDir := info.GetProgramDirectory()
	if programDir == "" {
		programDir = req.GetPwd()
	}
	entryPoint := info.GetEntryPoint()
	if entryPoint == "" {
		entryPoint = req.GetProgram()
	}
	if entryPoint == "" {
		entryPoint = "."
	}

	opts, err := parseOptions(info.GetOptions().AsMap())
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	node, err := exec.LookPath("node")
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("could not find node on the $PATH: %v", err)}, nil
	}

	runModule := os.Getenv("PULUMI_LANGUAGE_NODEJS_RUN_PATH")
	if runModule == "" {
		runModule = defaultRunModule
	}
	runPath, err := resolveModule(ctx, node, programDir, runModule)
	if err != nil {
		return &pulumirpc.RunResponse{Error: err.Error()}, nil
	}

	args := append([]string{}, opts.nodeArgs...)
	args = append(args, runPath)
	flagArg := func(name, value string) {
		if value != "" {
			args = append(args, "--"+name, value)
		}
	}
	flagArg("monitor", req.GetMonitorAddress())
	flagArg("engine", engineAddress)
	flagArg("organization", req.GetOrganization())
	flagArg("project", req.GetProject())
	flagArg("root-directory", info.GetRootDirectory())
	flagArg("stack", req.GetStack())
	flagArg("pwd", programDir)
	if req.GetDryRun() {
		args = append(args, "--dry-run")
	}
	flagArg("parallel", strconv.Itoa(int(req.GetParallel())))
	flagArg("tracing", h.tracing)
	args = append(args, entryPoint)
	args = append(args, req.GetArgs()...)

	config := req.GetConfig()
	if config == nil {
		config = map[string]string{}
	}
	configJSON, err := json.Marshal(config)
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("failed to serialize configuration: %v", err)}, nil
	}
	secretKeys := req.GetConfigSecretKeys()
	if secretKeys == nil {
		secretKeys = []string{}
	}
	secretKeysJSON, err := json.Marshal(secretKeys)
	if err != nil {
		return &pulumirpc.RunResponse{Error: fmt.Sprintf("failed to serialize secret config keys: %v", err)}, nil
	}

	env := os.Environ()
	env = append(env, "PULUMI_CONFIG="+string(configJSON), "PULUMI_CONFIG_SECRET_KEYS="+string(secretKeysJSON))
	if opts.typescript {
		env = append(env, "PULUMI_NODEJS_TYPESCRIPT=true")
	}
	if opts.tsconfigPath != "" {
		env = append(env, "PULUMI_NODEJS_TSCONFIG_PATH="+opts.tsconfigPath)
	}

	logging.V(5).Infof("langhost: launching %s %s", node, strings.Join(args, " "))

	// Interrupt the program if the engine cancels the RPC or calls Cancel; kill it
	// if it has not exited 5s later.
	cmdCtx, cmdCancel := context.WithCancel(ctx)
	defer cmdCancel()
	cmd := exec.CommandContext(cmdCtx, node, args...)
	h.mu.Lock()
	h.running[cmd] = cmdCancel
	h.mu.Unlock()
	defer func() {
		h.mu.Lock()
		delete(h.running, cmd)
		h.mu.Unlock()
	}()
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill()
		}
		return nil
	}
	cmd.WaitDelay = 5 * time.Second
	cmd.Env = env
	// Copy through pipes rather than handing node our own file descriptors: node may
	// switch them to non-blocking mode, which would break our later writes.
	cmd.Stdout = struct{ io.Writer }{os.Stdout}
	cmd.Stderr = struct{ io.Writer }{os.Stderr}

	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return &pulumirpc.RunResponse{
				Error: fmt.Sprintf("Problem executing program (could not run language executor): %v", err),
			}, nil
		}
		switch code := ee.ExitCode(); code {
		case exitCodeErrorAlreadyReported:
			// The error was already shown to the user; tell the engine to stop quietly.
			return &pulumirpc.RunResponse{Bail: true}, nil
		case -1:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited unexpectedly: %v", ee)}, nil
		default:
			return &pulumirpc.RunResponse{Error: fmt.Sprintf("Program exited with non-zero exit code: %d", code)}, nil
		}
	}
	return &pulumirpc.RunResponse{}, nil
}
