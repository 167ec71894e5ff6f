//! The `paradarum-bot` binary: everything lives in the library; see `lib.rs`.

fn main() -> std::process::ExitCode {
    paradarum_bot::cli::main()
}
