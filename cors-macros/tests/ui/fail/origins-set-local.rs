use cors_runtime::{Origins, cors};

fn main() {
    let tenants = Origins::new();

    #[cors(origins = tenants)]
    async fn orders() {}

    tenants.replace(["https://acme.example.com"]).unwrap();
}
