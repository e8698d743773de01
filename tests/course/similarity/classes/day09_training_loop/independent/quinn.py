# quinn: unpacks shapes into names
# %% ex1_answer
def encode_region(table):
    """Return a copy of `table` with `region` replaced by float one-hot columns region_<value>."""
    encoded = pd.get_dummies(table, columns=["region"], dtype=float)
    n_rows, n_columns = encoded.shape
    return encoded
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    """Shuffle `table` with `seed` and return (train_table, val_table), with val_fraction of the rows in val_table."""
    n_rows = len(table)
    train_part, val_part = train_test_split(table, test_size=val_fraction, random_state=seed)
    return train_part, val_part
# %% ex3_answer
def scale_train_val(train_values, val_values):
    """Fit a StandardScaler on train_values; return (train_scaled, val_scaled, scaler)."""
    n_rows, n_columns = np.shape(train_values)
    scaler = StandardScaler().fit(train_values)
    return scaler.transform(train_values), scaler.transform(val_values), scaler
# %% ex4_answer
def to_tensors(features, target):
    """Return (X, y) as float32 tensors of shapes (n, k) and (n, 1)."""
    n_rows = len(features)
    X = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(target, dtype=torch.float32).reshape(n_rows, 1)
    return X, y
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    """Train `model` for one epoch over `loader`; return the mean loss over the epoch's rows."""
    model.train()
    total, n_rows = 0.0, 0
    for x_batch, y_batch in loader:
        batch_size, n_features = x_batch.shape
        optimizer.zero_grad()
        loss = loss_fn(model(x_batch), y_batch)
        loss.backward()
        optimizer.step()
        total += loss.item() * batch_size
        n_rows += batch_size
    return total / n_rows
# %% ex6_answer
def predict_dollars(model, X, target_scaler):
    """Predict the rows of X and return them in real units (undo the target scaling), shape (n, 1)."""
    model.eval()
    with torch.no_grad():
        scaled = model(X)
    n_rows, n_outputs = scaled.shape
    return target_scaler.inverse_transform(scaled.numpy())
# %% ex7_answer
def leaky_columns(table, target, threshold=0.9):
    """Return the numeric columns (other than target) whose |correlation| with target exceeds threshold."""
    correlations = table.corr(numeric_only=True)[target].drop(target)
    return [column for column, value in correlations.items() if abs(value) > threshold]
# %% ex8_answer
# Create wage_net, train it (filling wage_losses), then define wage_results and val_mae.
torch.manual_seed(0)
n_rows, n_features = X_train.shape
wage_net = nn.Sequential(nn.Linear(n_features, 16), nn.Sigmoid(), nn.Linear(16, 1))
wage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)
wage_losses = [train_epoch(wage_net, train_loader, nn.MSELoss(), wage_optimizer) for _ in range(30)]
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
val_mae = float(np.abs(wage_results.real_predictions - wage_results.real_targets).mean())
print(f"validation: {val_mae:.2f} dollars per hour off on average")
