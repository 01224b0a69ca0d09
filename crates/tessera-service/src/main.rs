//! `tessera-service`: the example service; `tessera-service --help` lists the options.

use clap::Parser;
use std::process::ExitCode;
use std::str::FromStr;
use tessera_service::config::{Cli, Command, Settings};
use tessera_service::{App, BoxError};
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let filter = match Targets::from_str(&cli.options.log) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("tessera-service: invalid --log filter: {e}");
            return ExitCode::from(2);
        }
    };
    tracing_subscriber::registry()
        .with(
            tracing_subscriber::fmt::layer()
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr())),
        )
        .with(filter)
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "tessera-service failed");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> Result<(), BoxError> {
    let settings = Settings::from_options(&cli.options);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listen = settings.listen;
        if let Some(Command::IssueToken { sub, scope, ttl }) = cli.command {
            let state = App::open(settings, false).await?;
            let app = &state.0;
            let token = app.issue_access(
                &app.keys.current(),
                &sub,
                &scope,
                ttl.unwrap_or_else(|| app.access_ttl()),
            )?;
            println!("{token}");
            return Ok(());
        }
        let state = App::open(settings, cli.rotate_key).await?;
        let listener = tokio::net::TcpListener::bind(listen).await?;
        let keys = state.0.keys.current();
        tracing::info!(
            addr = %listener.local_addr()?,
            backend = state.0.store.db.backend(),
            kid = %keys.kid(),
            published = keys.published().len(),
            "listening"
        );
        tessera_service::serve(state, listener, tessera_service::shutdown_signal()).await?;
        tracing::info!("stopped");
        Ok(())
    })
}
