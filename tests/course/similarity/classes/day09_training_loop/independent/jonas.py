# jonas: joins and samples, counts steps
# %% ex1_answer
def encode_region(table):
    """Return a copy of `table` with `region` replaced by float one-hot columns region_<value>."""
    one_hot = pd.get_dummies(table["region"], prefix="region", dtype=float)
    return table.drop(columns="region").join(one_hot)
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    """Shuffle `table` with `seed` and return (train_table, val_table), with val_fraction of the rows in val_table."""
    val_part = table.sample(frac=val_fraction, random_state=seed)
    train_part = table.drop(index=val_part.index)
    return train_part, val_part
# %% ex3_answer
def scale_train_val(train_values, val_values):
    """Fit a StandardScaler on train_values; return (train_scaled, val_scaled, scaler)."""
    scaler = StandardScaler()
    train_scaled = scaler.fit_transform(train_values)
    val_scaled = scaler.transform(val_values)
    return train_scaled, val_scaled, scaler
# %% ex4_answer
def to_tensors(features, target):
    """Return (X, y) as float32 tensors of shapes (n, k) and (n, 1)."""
    X = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(target, dtype=torch.float32).reshape(len(target), -1)
    return X, y
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    """Train `model` for one epoch over `loader`; return the mean loss over the epoch's rows."""
    model.train()
    epoch_loss = 0.0
    for step, (inputs, labels) in enumerate(loader):
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = loss_fn(outputs, labels)
        loss.backward()
        optimizer.step()
        epoch_loss += loss.item() * inputs.size(0)
    return epoch_loss / len(loader.dataset)
# %% ex6_answer
def predict_dollars(model, X, target_scaler):
    """Predict the rows of X and return them in real units (undo the target scaling), shape (n, 1)."""
    model.eval()
    with torch.inference_mode():
        scaled = model(X)
    return target_scaler.inverse_transform(scaled.numpy())
# %% ex7_answer
def leaky_columns(table, target, threshold=0.9):
    """Return the numeric columns (other than target) whose |correlation| with target exceeds threshold."""
    numeric = table.select_dtypes(include="number")
    correlations = numeric.corrwith(numeric[target]).drop(target)
    return correlations.index[correlations.abs() > threshold].tolist()
# %% ex8_answer
# Create wage_net, train it (filling wage_losses), then define wage_results and val_mae.
torch.manual_seed(0)
wage_net = nn.Sequential(nn.Linear(len(feature_columns), 16), nn.Sigmoid(), nn.Linear(16, 1))
wage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)
wage_losses = []
for epoch in range(1, 31):
    wage_losses.append(train_epoch(wage_net, train_loader, nn.MSELoss(), wage_optimizer))
    if epoch % 10 == 0:
        print(f"epoch {epoch}: {wage_losses[-1]:.3f}")
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
val_mae = float(np.abs(wage_results.real_predictions - wage_results.real_targets).mean())
print(f"validation: {val_mae:.2f} dollars per hour off on average")
