# tariq: knows the standard library
# %% ex1_answer
def encode_region(table):
    """Return a copy of `table` with `region` replaced by float one-hot columns region_<value>."""
    return pd.get_dummies(table, columns=["region"], dtype=float)
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    """Shuffle `table` with `seed` and return (train_table, val_table), with val_fraction of the rows in val_table."""
    return train_test_split(table, test_size=val_fraction, random_state=seed)
# %% ex3_answer
def scale_train_val(train_values, val_values):
    """Fit a StandardScaler on train_values; return (train_scaled, val_scaled, scaler)."""
    scaler = StandardScaler().fit(train_values)
    return scaler.transform(train_values), scaler.transform(val_values), scaler
# %% ex4_answer
def to_tensors(features, target):
    """Return (X, y) as float32 tensors of shapes (n, k) and (n, 1)."""
    X = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(target, dtype=torch.float32).reshape(-1, 1)
    return X, y
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    """Train `model` for one epoch over `loader`; return the mean loss over the epoch's rows."""
    from statistics import fmean

    model.train()
    losses, weights = [], []
    for x_batch, y_batch in loader:
        optimizer.zero_grad()
        loss = loss_fn(model(x_batch), y_batch)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
        weights.append(len(x_batch))
    return fmean(losses, weights)
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
    from itertools import compress

    correlations = table.corr(numeric_only=True)[target].drop(target)
    return list(compress(correlations.index, correlations.abs() > threshold))
# %% ex8_answer
# Create wage_net, train it (filling wage_losses), then define wage_results and val_mae.
from statistics import fmean

torch.manual_seed(0)
wage_net = nn.Sequential(nn.Linear(9, 16), nn.Sigmoid(), nn.Linear(16, 1))
wage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)
wage_losses = [train_epoch(wage_net, train_loader, nn.MSELoss(), wage_optimizer) for _ in range(30)]
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
val_mae = fmean(abs(p - t) for p, t in zip(wage_results.real_predictions.ravel(), wage_results.real_targets.ravel()))
print(f"validation: {val_mae:.2f} dollars per hour off on average")
