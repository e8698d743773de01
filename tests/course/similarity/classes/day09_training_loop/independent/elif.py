# elif: spells out dtypes and keeps small helper variables
# %% ex1_answer
def encode_region(table):
    """Return a copy of `table` with `region` replaced by float one-hot columns region_<value>."""
    encoded = pd.get_dummies(table, columns=["region"], dtype=np.float64)
    return encoded
# %% ex2_answer
def split_rows(table, val_fraction, seed):
    """Shuffle `table` with `seed` and return (train_table, val_table), with val_fraction of the rows in val_table."""
    train_part, val_part = train_test_split(table, test_size=val_fraction, random_state=seed)
    return train_part, val_part
# %% ex3_answer
def scale_train_val(train_values, val_values):
    """Fit a StandardScaler on train_values; return (train_scaled, val_scaled, scaler)."""
    scaler = StandardScaler().fit(train_values)
    train_scaled = scaler.transform(train_values)
    val_scaled = scaler.transform(val_values)
    return train_scaled, val_scaled, scaler
# %% ex4_answer
def to_tensors(features, target):
    """Return (X, y) as float32 tensors of shapes (n, k) and (n, 1)."""
    X = torch.tensor(features, dtype=torch.float32)
    y = torch.tensor(target, dtype=torch.float32)
    if y.ndim == 1:
        y = y.unsqueeze(1)
    return X, y
# %% ex5_answer
def train_epoch(model, loader, loss_fn, optimizer):
    """Train `model` for one epoch over `loader`; return the mean loss over the epoch's rows."""
    model.train()
    running_loss = 0.0
    seen = 0
    for x_batch, y_batch in loader:
        optimizer.zero_grad()
        outputs = model(x_batch)
        loss = loss_fn(outputs, y_batch)
        loss.backward()
        optimizer.step()
        running_loss += loss.item() * x_batch.size(0)
        seen += x_batch.size(0)
    return running_loss / seen
# %% ex6_answer
def predict_dollars(model, X, target_scaler):
    """Predict the rows of X and return them in real units (undo the target scaling), shape (n, 1)."""
    model.eval()
    with torch.no_grad():
        predictions = model(X)
    return target_scaler.inverse_transform(predictions.detach().numpy())
# %% ex7_answer
def leaky_columns(table, target, threshold=0.9):
    """Return the numeric columns (other than target) whose |correlation| with target exceeds threshold."""
    correlations = table.corr(numeric_only=True)[target]
    correlations = correlations.drop(labels=[target])
    return correlations[correlations.abs() > threshold].index.tolist()
# %% ex8_answer
# Create wage_net, train it (filling wage_losses), then define wage_results and val_mae.
torch.manual_seed(0)
wage_net = nn.Sequential(nn.Linear(9, 16), nn.Sigmoid(), nn.Linear(16, 1))
wage_optimizer = optim.SGD(wage_net.parameters(), lr=0.05)
wage_losses = []
for epoch in range(30):
    wage_losses.append(train_epoch(wage_net, train_loader, nn.MSELoss(), wage_optimizer))
wage_results = show_results(wage_net, val_loader, target_scaler=y_scaler)
errors = wage_results.real_predictions - wage_results.real_targets
val_mae = float(np.abs(errors).mean())
print(f"validation: {val_mae:.2f} dollars per hour off on average")
