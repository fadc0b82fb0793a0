<#
.SYNOPSIS
    Benchmarks: runs the default suite, a scenario, the tests or the micro-benchmarks.

.DESCRIPTION
    With no arguments, runs the default suite against embedded/local stores (no Azure account needed)
    and prints where the reports are. Start from a fresh clone with:
        dotnet tool restore && dotnet pwsh ./run.ps1

.EXAMPLE
    dotnet pwsh ./run.ps1                      # default suite
    dotnet pwsh ./run.ps1 test                 # the whole test suite
    dotnet pwsh ./run.ps1 run scenarios/redis-feature-cache.yaml -Set load.rate=8000/s
    dotnet pwsh ./run.ps1 micro -Filter '*Recording*'
#>
[CmdletBinding()]
param(
    [Parameter(Position = 0)]
    [ValidateSet('suite', 'test', 'run', 'validate', 'list', 'micro')]
    [string] $Command = 'suite',

    # Scenario files for run/validate.
    [Parameter(Position = 1, ValueFromRemainingArguments = $true)]
    [string[]] $Scenario = @(),

    # Overrides passed to bench as --set (e.g. load.duration=10s).
    [string[]] $Set = @(),

    # Output folder; default reports/<timestamp>.
    [string] $Out,

    # BenchmarkDotNet filter for 'micro'.
    [string] $Filter = '*',

    # 'micro' only: run every benchmark once to prove it works (not a measurement).
    [switch] $Dry
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Set-Location $PSScriptRoot

# The scenarios of the default suite: short runs against embedded stores.
$DefaultSuite = @(
    'scenarios/redis-feature-cache.yaml',
    'scenarios/redis-throughput.yaml',
    'scenarios/synapse-training-data.yaml'
)

# The local Cosmos DB server is a Node package of ours (tools/cosmos-server); installed from its lockfile on first use.
function Install-CosmosServer {
    if (Test-Path 'tools/cosmos-server/node_modules/@vercel/cosmosdb-server') { return $true }
    if (-not (Get-Command 'npm' -ErrorAction SilentlyContinue)) {
        Write-Host 'cosmos scenarios need Node.js 18+ and npm (Debian: sudo apt-get install -y nodejs npm) for the local Cosmos DB server'
        return $false
    }
    $code = Invoke-Native 'npm' @('ci', '--prefix', 'tools/cosmos-server', '--no-audit', '--no-fund', '--loglevel', 'error')
    return ($code -eq 0)
}

# PostgreSQL runs on a throwaway local cluster when the server binaries are installed.
function Test-PostgresBinaries {
    if ($env:BENCH_PG_BIN) { return (Test-Path (Join-Path $env:BENCH_PG_BIN 'postgres')) }
    if (Get-ChildItem -Path '/usr/lib/postgresql/*/bin/postgres' -ErrorAction SilentlyContinue) { return $true }
    return [bool](Get-Command 'postgres' -ErrorAction SilentlyContinue)
}

# Runs a program with its output on the console (not into the caller's pipeline) and returns its exit code.
function Invoke-Native([string] $File, [string[]] $Arguments) {
    & $File @Arguments | Out-Host
    return [int]$LASTEXITCODE
}

function Build-Bench {
    $code = Invoke-Native 'dotnet' @('build', 'bench/Benchmarks.Cli', '-c', 'Release', '--nologo', '-v', 'q', '-clp:ErrorsOnly')
    if ($code -ne 0) { Write-Error "build failed ($code)"; exit $code }
    return (Join-Path $PSScriptRoot 'bench/Benchmarks.Cli/bin/Release/net10.0/bench.dll')
}

function Get-SetArguments {
    $list = @()
    foreach ($s in $Set) { $list += @('--set', $s) }
    return $list
}

switch ($Command) {
    'suite' {
        $bench = Build-Bench
        $folder = if ($Out) { $Out } else { Join-Path 'reports' (Get-Date -AsUTC -Format 'yyyyMMdd-HHmmss') }
        $suite = $DefaultSuite
        $cosmos = Install-CosmosServer
        if ($cosmos) { $suite += @('scenarios/cosmos-feature-serving.yaml', 'scenarios/cosmos-profile-writes.yaml', 'scenarios/cosmos-feature-query.yaml') }
        else { Write-Host 'cosmos scenarios left out: the local Cosmos DB server could not be installed (see above)' }
        if (Test-PostgresBinaries) {
            $suite += 'scenarios/postgres-ml-metadata.yaml'
            # The seed's feature serving end to end: garnet cache -> Cosmos DB fallback -> metadata in PostgreSQL.
            if ($cosmos) { $suite += 'scenarios/flows/feature-serving-cached.yaml' }
        }
        else { Write-Host 'postgres-ml-metadata and the feature-serving flow left out: PostgreSQL server binaries not found; install them with: sudo apt-get install -y postgresql' }
        $code = Invoke-Native 'dotnet' (@($bench, 'run') + $suite + @('--out', $folder) + (Get-SetArguments))
        Write-Host ''
        Write-Host "Reports: $(Resolve-Path $folder -ErrorAction SilentlyContinue)"
        Get-ChildItem -Path $folder -Filter 'summary.md' -Recurse -ErrorAction SilentlyContinue | ForEach-Object { Write-Host "  $($_.FullName)" }
        Write-Host "Exit code $code (0 all SLAs met, 1 an SLA failed or an abort rule fired, 2 bad input, 3 run invalid or interrupted, 4 inconclusive)"
        exit $code
    }
    'test' {
        $null = Install-CosmosServer
        $results = Join-Path $PSScriptRoot 'TestResults'
        if (Test-Path $results) { Remove-Item -Recurse -Force $results }
        $code = Invoke-Native 'dotnet' @('build', 'Benchmarks.sln', '-c', 'Release', '--nologo', '-v', 'q', '-clp:ErrorsOnly')
        if ($code -ne 0) { Write-Error "build failed ($code)"; exit $code }
        # One test project after the other: the timing tests must not share the two cores with another test run.
        foreach ($project in @('tests/Benchmarks.UnitTests', 'tests/Benchmarks.IntegrationTests')) {
            $projectCode = Invoke-Native 'dotnet' @('test', $project, '-c', 'Release', '--no-build', '--nologo', '--logger', 'trx', '--logger', 'console;verbosity=normal', '--results-directory', $results)
            if ($projectCode -ne 0) { $code = $projectCode }
        }
        $passed = 0; $failed = 0; $skipped = 0; $needDocker = 0; $failures = @()
        foreach ($trx in Get-ChildItem -Path $results -Filter '*.trx' -Recurse -ErrorAction SilentlyContinue) {
            $run = ([xml](Get-Content -Raw $trx.FullName)).TestRun
            $counters = $run.ResultSummary.Counters
            $passed += [int]$counters.passed
            $failed += [int]$counters.failed + [int]$counters.error + [int]$counters.timeout + [int]$counters.aborted
            # The TRX counters leave skipped tests out of notExecuted (total - executed); count the results themselves.
            # Tests that need a Docker engine skip with this reason where none runs (these machines have none): not a hole.
            foreach ($result in @($run.Results.UnitTestResult)) {
                if ($result -and $result.outcome -eq 'Failed') {
                    # Named again here: the CI log's tail is what a reader sees first.
                    $message = "$($result.Output.ErrorInfo.Message)" -split "`n" | Select-Object -First 3
                    $failures += "FAILED $($result.testName)`n    $($message -join "`n    ")"
                }
                if ($result -and $result.outcome -eq 'NotExecuted') {
                    $skipped++
                    if ($result.Output.ErrorInfo.Message -like 'needs a Docker engine*') { $needDocker++ }
                }
            }
        }
        $failures | ForEach-Object { Write-Host $_ }
        Write-Host "tests: $passed passed, $failed failed, $skipped skipped ($needDocker of them need a Docker engine)"
        if ($code -eq 0 -and $passed -eq 0) { Write-Error 'no test ran'; exit 1 }
        if ($code -eq 0 -and ($skipped - $needDocker) -gt 0 -and $env:CI) { Write-Error 'tests were skipped in CI: every integration test must run here'; exit 1 }
        exit $code
    }
    'run' {
        if ($Scenario.Count -eq 0) { Write-Error 'give scenario files: ./run.ps1 run scenarios/x.yaml'; exit 2 }
        $bench = Build-Bench
        $extra = if ($Out) { @('--out', $Out) } else { @() }
        exit (Invoke-Native 'dotnet' (@($bench, 'run') + $Scenario + $extra + (Get-SetArguments)))
    }
    'validate' {
        $bench = Build-Bench
        $files = if ($Scenario.Count -gt 0) { $Scenario } else { @(Get-ChildItem -Path scenarios -Filter '*.yaml' -Recurse | ForEach-Object { $_.FullName }) }
        exit (Invoke-Native 'dotnet' (@($bench, 'validate') + $files + (Get-SetArguments)))
    }
    'list' {
        $bench = Build-Bench
        exit (Invoke-Native 'dotnet' @($bench, 'list'))
    }
    'micro' {
        $arguments = @('run', '-c', 'Release', '--project', 'bench/Benchmarks.Micro', '--', '--filter', $Filter)
        # Dry: every benchmark once, in-process, to prove it runs (not a measurement).
        if ($Dry) { $arguments += @('--job', 'Dry', '--inProcess') }
        exit (Invoke-Native 'dotnet' $arguments)
    }
}
