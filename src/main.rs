fn main() {
    std::process::exit(referat::cli::main());
}
