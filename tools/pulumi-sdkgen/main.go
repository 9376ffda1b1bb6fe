// Command pulumi-sdkgen-host is a code-generation-only Pulumi language host. `pulumi package
// gen-sdk` always asks the language host of the target language (pulumi-language-<lang>) to
// generate the SDK, and the upstream hosts live in nested Go modules that the module proxy does
// not serve. This host links the SDK generators of github.com/pulumi/pulumi/pkg/v3/codegen (the
// same ones the upstream hosts call) and answers GeneratePackage for the language named by the
// name it is run as: pulumi-language-nodejs, pulumi-language-python or pulumi-language-go
// (the toolchain links those names to this one binary in a directory used only for gen-sdk).
// It runs no programs. .NET is not here: its generator moved to github.com/pulumi/pulumi-dotnet
// (tools/pulumi-sdkgen-dotnet generates the .NET SDK with the last served pkg/v3 that had it).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/types/known/emptypb"

	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/nodejs"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
	"github.com/pulumi/pulumi/sdk/v3/go/common/resource/plugin"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/cmdutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/util/rpcutil"
	"github.com/pulumi/pulumi/sdk/v3/go/common/version"
	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
)

func main() {
	flag.String("tracing", "", "ignored")
	if flag.Lookup("logtostderr") == nil {
		flag.Bool("logtostderr", false, "ignored")
	}
	if flag.Lookup("v") == nil {
		flag.Int("v", 0, "ignored")
	}
	flag.String("root", "", "ignored")
	flag.Parse()

	language := strings.TrimPrefix(filepath.Base(os.Args[0]), "pulumi-language-")
	switch language {
	case "nodejs", "python", "go":
	default:
		cmdutil.Exit(fmt.Errorf("run this host as pulumi-language-nodejs, pulumi-language-python or pulumi-language-go (got %q)", os.Args[0]))
	}

	ctx, cancel := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer cancel()
	stop := make(chan bool)
	go func() {
		<-ctx.Done()
		close(stop)
	}()
	if args := flag.Args(); len(args) > 0 {
		if err := rpcutil.Healthcheck(ctx, args[0], 5*time.Minute, cancel); err != nil {
			cmdutil.Exit(fmt.Errorf("could not start health check of the engine: %w", err))
		}
	}
	handle, err := rpcutil.ServeWithOptions(rpcutil.ServeOptions{
		Cancel: stop,
		Init: func(srv *grpc.Server) error {
			pulumirpc.RegisterLanguageRuntimeServer(srv, &host{language: language})
			return nil
		},
	})
	if err != nil {
		cmdutil.Exit(fmt.Errorf("could not start the language host: %w", err))
	}
	fmt.Printf("%d\n", handle.Port)
	if err := <-handle.Done; err != nil {
		cmdutil.Exit(err)
	}
}

type host struct {
	pulumirpc.UnimplementedLanguageRuntimeServer
	language string
}

func (h *host) Handshake(context.Context, *pulumirpc.LanguageHandshakeRequest) (*pulumirpc.LanguageHandshakeResponse, error) {
	return &pulumirpc.LanguageHandshakeResponse{}, nil
}

func (h *host) GetPluginInfo(context.Context, *emptypb.Empty) (*pulumirpc.PluginInfo, error) {
	v := version.Version
	if v == "" {
		v = "3.0.0-sdkgen"
	}
	return &pulumirpc.PluginInfo{Version: v}, nil
}

func (h *host) Run(context.Context, *pulumirpc.RunRequest) (*pulumirpc.RunResponse, error) {
	return nil, errors.New("this pulumi-language-" + h.language + " only generates SDKs (pulumi package gen-sdk); it runs no programs")
}

// GeneratePackage binds the schema (resolving references through the engine's loader) and writes
// the files of the language's generator into the requested directory, as the upstream hosts do.
func (h *host) GeneratePackage(ctx context.Context, req *pulumirpc.GeneratePackageRequest) (*pulumirpc.GeneratePackageResponse, error) {
	loader, err := schema.NewLoaderClient(req.LoaderTarget)
	if err != nil {
		return nil, err
	}
	defer loader.Close()
	var spec schema.PackageSpec
	if err := json.Unmarshal([]byte(req.Schema), &spec); err != nil {
		return nil, err
	}
	pkg, diags, err := schema.BindSpec(spec, loader, schema.ValidationOptions{AllowDanglingReferences: true})
	if err != nil {
		return nil, err
	}
	if diags.HasErrors() {
		return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
	}
	tool := "pulumi-language-" + h.language
	var files map[string][]byte
	switch h.language {
	case "nodejs":
		files, err = nodejs.GeneratePackage(tool, pkg, req.ExtraFiles, req.LocalDependencies, req.Local, loader)
	case "python":
		files, err = python.GeneratePackage(tool, pkg, req.ExtraFiles, loader)
	case "go":
		files, err = gogen.GeneratePackage(tool, pkg, req.LocalDependencies)
		for name, data := range req.ExtraFiles {
			files[name] = data
		}
	}
	if err != nil {
		return nil, err
	}
	for name, data := range files {
		out := filepath.Join(req.Directory, name)
		if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
			return nil, err
		}
		if err := os.WriteFile(out, data, 0o644); err != nil { //nolint:gosec // generated sources
			return nil, err
		}
	}
	return &pulumirpc.GeneratePackageResponse{Diagnostics: plugin.HclDiagnosticsToRPCDiagnostics(diags)}, nil
}
