# priya: comprehensions and dictionaries
# %% ex1_answer
def encode_region(table):
    """Return a copy of `table` with `region` replaced by float one-hot columns region_<value>."""
    regions = sorted(table["region"].unique())
    new_columns = {f"region_{r}": (table["region"] == r).astype(float) for r in regions}
    return table.drop(columns=["region"]).assign(**new_columns)
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    """Shuffle `table` with `seed` and return (train_table, val_table), with val_fraction of the rows in val_table."""
    return train_test_split(table, test_size=val_fraction, random_state=seed)
# %% ex3_answer
def scale_train_val(train_values, val_values):
    """Fit a StandardScaler on train_values; return (train_scaled, val_scaled, scaler)."""
    scaler = StandardScaler().fit(train_values)
    train_scaled, val_scaled = [scaler.transform(v) for v in (train_values, val_values)]
    return train_scaled, val_scaled, scaler
# %% ex4_answer
def to_tensors(features, target):
    """Return (X, y) as float32 tensors of shapes (n, k) and (n, 1)."""
    X, y = [torch.tensor(a, dtype=torch.float32) for a in (features, target)]
    return X, y.reshape(-1, 1)
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    """Train `model` for one epoch over `loader`; return the mean loss over the epoch's rows."""
    model.train()
    batch_losses = []
    batch_sizes = []
    for x_batch, y_batch in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x_batch), y_batch)
        loss.backward()
        optimizer.step()
        batch_losses.append(loss.item())
        batch_sizes.append(len(x_batch))
    return sum(l * n for l, n in zip(batch_losses, batch_sizes)) / sum(batch_sizes)
# %% ex6_answer
def predict_dollars(model, X, target_scaler):
    """Predict the rows of X and return them in real units (undo the target scaling), shape (n, 1)."""
    model.eval()
    with torch.no_grad():
        scaled = model(X)
    return target_scaler.inverse_transform(scaled.numpy())
# %% ex7_answer
def leaky_columns(table, target, threshold=0.9):
    """Return the numeric columns (other than target) whose |correlation| with target exceeds threshold."""
    correlations = table.corr(numeric_only=True)[target]
    return [c for c in correlations.index if c != target and abs(correlations[c]) > threshold]
# %% ex8_answer
# Create wage_net, train it (filling wage_losses), then define wage_results and val_mae.
torch.manual_seed(0)
wage_net = nn.Sequential(nn.Linear(len(feature_columns), 16), nn.Sigmoid(), nn.Linear(16, 1))
wage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)
wage_losses = [train_epoch(wage_net, train_loader, nn.MSELoss(), wage_optimizer) for epoch in range(30)]
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
val_mae = float(np.mean([abs(p - t) for p, t in zip(wage_results.real_predictions.ravel(), wage_results.real_targets.ravel())]))
print(f"validation: {val_mae:.2f} dollars per hour off on average")
