# dmitri: calls NumPy and torch functions, does the shuffling himself
# %% ex1_answer
def encode_region(table):
    """Return a copy of `table` with `region` replaced by float one-hot columns region_<value>."""
    dummies = pd.get_dummies(table["region"], prefix="region").astype(np.float64)
    return pd.concat([table.drop(columns=["region"]), dummies], axis=1)
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    """Shuffle `table` with `seed` and return (train_table, val_table), with val_fraction of the rows in val_table."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(table))
    n_val = int(round(len(table) * val_fraction))
    val_idx, train_idx = order[:n_val], order[n_val:]
    return table.iloc[train_idx], table.iloc[val_idx]
# %% ex3_answer
def scale_train_val(train_values, val_values):
    """Fit a StandardScaler on train_values; return (train_scaled, val_scaled, scaler)."""
    scaler = StandardScaler().fit(np.asarray(train_values))
    train_scaled = scaler.transform(np.asarray(train_values))
    val_scaled = scaler.transform(np.asarray(val_values))
    return train_scaled, val_scaled, scaler
# %% ex4_answer
def to_tensors(features, target):
    """Return (X, y) as float32 tensors of shapes (n, k) and (n, 1)."""
    X = torch.from_numpy(np.asarray(features, dtype=np.float32))
    y = torch.from_numpy(np.asarray(target, dtype=np.float32)).reshape(-1, 1)
    return X, y
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    """Train `model` for one epoch over `loader`; return the mean loss over the epoch's rows."""
    model.train()
    losses, counts = [], []
    for x, y in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        counts.append(len(x))
    return float(np.average(losses, weights=counts))
# %% ex6_answer
def predict_dollars(model, X, target_scaler):
    """Predict the rows of X and return them in real units (undo the target scaling), shape (n, 1)."""
    model.eval()
    with torch.no_grad():
        out = model(X).numpy()
    return target_scaler.inverse_transform(out)
# %% ex7_answer
def leaky_columns(table, target, threshold=0.9):
    """Return the numeric columns (other than target) whose |correlation| with target exceeds threshold."""
    corr = table.corr(numeric_only=True)[target]
    mask = (np.abs(corr) > threshold) & (corr.index != target)
    return corr.index[mask].tolist()
# %% ex8_answer
# Create wage_net, train it (filling wage_losses), then define wage_results and val_mae.
torch.manual_seed(0)
wage_net = nn.Sequential(nn.Linear(X_train.shape[1], 16), nn.Sigmoid(), nn.Linear(16, 1))
sgd = torch.optim.SGD(wage_net.parameters(), lr=0.05)
wage_losses = []
for _ in range(30):
    wage_losses.append(train_epoch(wage_net, train_loader, torch.nn.MSELoss(), sgd))
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
val_mae = float(np.mean(np.abs(wage_results.real_predictions - wage_results.real_targets)))
print(f"validation: {val_mae:.2f} dollars per hour off on average")
