"""Alternative answers for Day 07 (gradients and optimizers): correct ones written other ways, and classic
mistakes."""


def slope(body: str) -> str:
    return f"def slope_at(f, x0):\n    {body}\n"


DESCEND = """def descend(f, x0, lr, n_steps):
    x = torch.tensor(float(x0), requires_grad=True)
    positions = [x.item()]
    for _ in range(n_steps):
        f(x).backward()
        with torch.no_grad():
            x -= lr * x.grad
        x.grad.zero_()
        positions.append(x.item())
    return positions
"""


def descend(body: str | None = None, start: str = "global_start = -1.0") -> str:
    function = DESCEND if body is None else f"def descend(f, x0, lr, n_steps):\n    {body}\n"
    return function + "\n\n" + start + "\n"


def grad(body: str) -> str:
    return f"def first_layer_grad(model, x, y):\n    {body}\n"


def update(body: str) -> str:
    return f"def sgd_update(parameters, lr):\n    {body}\n"


def train(body: str) -> str:
    return f"def train_steps(model, x, y, lr, n_steps):\n    {body}\n"


TRAIN_LOOP = """optimizer = optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.MSELoss()
    losses = []
    for _ in range(n_steps):
{step}
    return losses"""


def epoch(body: str) -> str:
    return f"def minibatch_epoch(model, x, y, batch_size, lr):\n    {body}\n"


def order(body: str) -> str:
    return f"def backprop_order(model, x, y):\n    {body}\n"


ANSWERS = {
    "ex1_answer": {
        "correct": {
            "float32 dtype": slope("x = torch.tensor(x0, dtype=torch.float32, requires_grad=True)\n"
                                   "    f(x).backward()\n    return float(x.grad)"),
            "autograd.grad": slope("x = torch.tensor(float(x0), requires_grad=True)\n"
                                   "    (g,) = torch.autograd.grad(f(x), x)\n    return g.item()"),
            "float64 and requires_grad_": slope("x = torch.tensor(x0, dtype=torch.float64).requires_grad_()\n"
                                                "    y = f(x)\n    y.backward()\n    return x.grad.item()"),
        },
        "wrong": {
            "the gradient tensor": (slope("x = torch.tensor(float(x0), requires_grad=True)\n    f(x).backward()\n"
                                          "    return x.grad"), "with `.item()`"),
            "the function's value": (slope("x = torch.tensor(float(x0), requires_grad=True)\n    return f(x).item()"),
                                     "Return x.grad after calling .backward() on f(x)"),
            "no backward": (slope("x = torch.tensor(float(x0), requires_grad=True)\n    f(x)\n    return x.grad.item()"),
                            "Call .backward() on f(x) first"),
            "an integer tensor": (slope("x = torch.tensor(x0, requires_grad=True)\n    f(x).backward()\n"
                                        "    return x.grad.item()"),
                                  "Only floating-point tensors can have gradients"),
        },
    },
    "ex2_answer": {
        "correct": {
            "other start, sub_ and grad = None": descend(
                "x = torch.tensor(float(x0), requires_grad=True)\n    path = [float(x0)]\n"
                "    for _ in range(n_steps):\n        loss = f(x)\n        loss.backward()\n"
                "        with torch.no_grad():\n            x.sub_(lr * x.grad)\n        x.grad = None\n"
                "        path.append(float(x))\n    return path", "global_start = -0.5"),
            "autograd.grad, new tensors": descend(
                "x = torch.tensor(float(x0), requires_grad=True)\n    positions = [x.item()]\n"
                "    for _ in range(n_steps):\n        (g,) = torch.autograd.grad(f(x), x)\n"
                "        x = (x - lr * g).detach().requires_grad_(True)\n        positions.append(x.item())\n"
                "    return positions", "global_start = -3"),
            "an integer start": descend(None, "global_start = -2"),
        },
        "wrong": {
            "local start": (descend(None, "global_start = 1.0"), "Start on the left of the hill top"),
            "gradients pile up": (descend("x = torch.tensor(float(x0), requires_grad=True)\n    positions = [x.item()]\n"
                                          "    for _ in range(n_steps):\n        f(x).backward()\n"
                                          "        with torch.no_grad():\n            x -= lr * x.grad\n"
                                          "        positions.append(x.item())\n    return positions"),
                                  "Did you reset x.grad after each step?"),
            "tensors in the list": (descend("x = torch.tensor(float(x0), requires_grad=True)\n"
                                            "    positions = [x.detach().clone()]\n    for _ in range(n_steps):\n"
                                            "        f(x).backward()\n        with torch.no_grad():\n"
                                            "            x -= lr * x.grad\n        x.grad.zero_()\n"
                                            "        positions.append(x.detach().clone())\n    return positions"),
                                    "Append x.item(), a Python float"),
            "uphill": (descend("x = torch.tensor(float(x0), requires_grad=True)\n    positions = [x.item()]\n"
                               "    for _ in range(n_steps):\n        f(x).backward()\n"
                               "        with torch.no_grad():\n            x += lr * x.grad\n"
                               "        x.grad.zero_()\n        positions.append(x.item())\n    return positions"),
                       "One step: x - lr * gradient"),
            "start left out": (descend("x = torch.tensor(float(x0), requires_grad=True)\n    positions = []\n"
                                       "    for _ in range(n_steps):\n        f(x).backward()\n"
                                       "        with torch.no_grad():\n            x -= lr * x.grad\n"
                                       "        x.grad.zero_()\n        positions.append(x.item())\n    return positions"),
                               "Include the start x0"),
        },
    },
    "ex3_answer": {
        "correct": {
            "grads set to None": grad("for p in model.parameters():\n        p.grad = None\n"
                                      "    nn.MSELoss()(model(x), y).backward()\n    return model[0].weight.grad"),
            "autograd.grad": grad("(g,) = torch.autograd.grad(nn.MSELoss()(model(x), y), model[0].weight)\n    return g"),
            "functional loss and a copy": grad("model.zero_grad()\n    loss = nn.functional.mse_loss(model(x), y)\n"
                                               "    loss.backward()\n    return model[0].weight.grad.clone()"),
        },
        "wrong": {
            "no zero_grad": (grad("nn.MSELoss()(model(x), y).backward()\n    return model[0].weight.grad"),
                             "did you call zero_grad()?"),
            "the weight": (grad("model.zero_grad()\n    nn.MSELoss()(model(x), y).backward()\n"
                                "    return model[0].weight"), "return the gradient, not the weight"),
            "the last layer": (grad("model.zero_grad()\n    nn.MSELoss()(model(x), y).backward()\n"
                                    "    return model[-1].weight.grad"), "The gradient has the shape of model[0].weight"),
            "a summed loss": (grad("model.zero_grad()\n    ((model(x) - y) ** 2).sum().backward()\n"
                                   "    return model[0].weight.grad"), "Use nn.MSELoss()"),
        },
    },
    "ex4_answer": {
        "correct": {
            "sub_": update("with torch.no_grad():\n        for p in parameters:\n            p.sub_(lr * p.grad)"),
            "add_ with alpha": update("with torch.no_grad():\n        for p in parameters:\n"
                                      "            p.add_(p.grad, alpha=-lr)"),
            "through .data": update("for p in parameters:\n        p.data -= lr * p.grad"),
            "copy_": update("for p in parameters:\n        with torch.no_grad():\n            p.copy_(p - lr * p.grad)"),
        },
        "wrong": {
            "a new name": (update("with torch.no_grad():\n        for p in parameters:\n            p = p - lr * p.grad"),
                           "writing `p = p - lr * p.grad` only gives the name p a new tensor"),
            "uphill": (update("with torch.no_grad():\n        for p in parameters:\n            p += lr * p.grad"),
                       "Step against the gradient"),
            "no no_grad": (update("for p in parameters:\n        p -= lr * p.grad"),
                           "Put the update inside `with torch.no_grad():`"),
            "a fixed lr": (update("with torch.no_grad():\n        for p in parameters:\n            p -= 0.1 * p.grad"),
                           "Use the lr argument, not a fixed number"),
        },
    },
    "ex5_answer": {
        "correct": {
            "functional loss, float()": train(TRAIN_LOOP.format(step=(
                "        optimizer.zero_grad()\n        loss = nn.functional.mse_loss(model(x), y)\n"
                "        loss.backward()\n        optimizer.step()\n        losses.append(float(loss))"))),
            "zero_grad after step": train(TRAIN_LOOP.format(step=(
                "        loss = loss_fn(model(x), y)\n        losses.append(loss.item())\n        loss.backward()\n"
                "        optimizer.step()\n        optimizer.zero_grad()"))),
            "set_to_none, comprehension style": train(
                "optimizer = optim.SGD(model.parameters(), lr=lr)\n\n    def step():\n"
                "        optimizer.zero_grad(set_to_none=True)\n        loss = nn.MSELoss()(model(x), y)\n"
                "        loss.backward()\n        optimizer.step()\n        return loss.item()\n\n"
                "    return [step() for _ in range(n_steps)]"),
        },
        "wrong": {
            "no zero_grad": (train(TRAIN_LOOP.format(step=(
                "        loss = loss_fn(model(x), y)\n        loss.backward()\n        optimizer.step()\n"
                "        losses.append(loss.item())"))), "Did you call zero_grad()?"),
            "no step": (train(TRAIN_LOOP.format(step=(
                "        optimizer.zero_grad()\n        loss = loss_fn(model(x), y)\n        loss.backward()\n"
                "        losses.append(loss.item())"))), "call optimizer.step() after loss.backward()"),
            "tensors in the list": (train(TRAIN_LOOP.format(step=(
                "        optimizer.zero_grad()\n        loss = loss_fn(model(x), y)\n        loss.backward()\n"
                "        optimizer.step()\n        losses.append(loss)"))), "Append loss.item()"),
            "loss after the step": (train(TRAIN_LOOP.format(step=(
                "        optimizer.zero_grad()\n        loss_fn(model(x), y).backward()\n        optimizer.step()\n"
                "        with torch.no_grad():\n            losses.append(loss_fn(model(x), y).item())"))),
                                    "computed before optimizer.step()"),
            "a fixed lr": (train(TRAIN_LOOP.format(step=(
                "        optimizer.zero_grad()\n        loss = loss_fn(model(x), y)\n        loss.backward()\n"
                "        optimizer.step()\n        losses.append(loss.item())")).replace("lr=lr", "lr=0.1")),
                           "Use the lr and n_steps arguments"),
        },
    },
    "ex6_answer": {
        "correct": {
            "a DataLoader in order": epoch("from torch.utils.data import DataLoader, TensorDataset\n"
                                           "    optimizer = optim.SGD(model.parameters(), lr=lr)\n    steps = 0\n"
                                           "    for xb, yb in DataLoader(TensorDataset(x, y), batch_size=batch_size):\n"
                                           "        optimizer.zero_grad()\n        nn.MSELoss()(model(xb), yb).backward()\n"
                                           "        optimizer.step()\n        steps += 1\n    return steps"),
            "split": epoch("optimizer = optim.SGD(model.parameters(), lr=lr)\n"
                           "    batches = list(zip(torch.split(x, batch_size), torch.split(y, batch_size)))\n"
                           "    for xb, yb in batches:\n        optimizer.zero_grad()\n"
                           "        loss = nn.MSELoss()(model(xb), yb)\n        loss.backward()\n        optimizer.step()\n"
                           "    return len(batches)"),
            "counted with ceil": epoch("import numpy as np\n    optimizer = optim.SGD(model.parameters(), lr=lr)\n"
                                       "    n_steps = np.ceil(len(x) / batch_size)\n    for i in range(int(n_steps)):\n"
                                       "        start = i * batch_size\n        optimizer.zero_grad()\n"
                                       "        nn.MSELoss()(model(x[start:start + batch_size]), "
                                       "y[start:start + batch_size]).backward()\n"
                                       "        optimizer.step()\n    return n_steps"),
        },
        "wrong": {
            "last batch dropped": (epoch("optimizer = optim.SGD(model.parameters(), lr=lr)\n"
                                         "    for i in range(len(x) // batch_size):\n        start = i * batch_size\n"
                                         "        optimizer.zero_grad()\n"
                                         "        nn.MSELoss()(model(x[start:start + batch_size]), "
                                         "y[start:start + batch_size]).backward()\n"
                                         "        optimizer.step()\n    return len(x) // batch_size"),
                                   "the last, smaller batch counts too"),
            "no zero_grad": (epoch("optimizer = optim.SGD(model.parameters(), lr=lr)\n    n = 0\n"
                                   "    for start in range(0, len(x), batch_size):\n"
                                   "        nn.MSELoss()(model(x[start:start + batch_size]), "
                                   "y[start:start + batch_size]).backward()\n"
                                   "        optimizer.step()\n        n += 1\n    return n"),
                             "call zero_grad() before each backward()"),
            "shuffled": (epoch("optimizer = optim.SGD(model.parameters(), lr=lr)\n    order = torch.randperm(len(x))\n"
                               "    n = 0\n    for start in range(0, len(x), batch_size):\n"
                               "        rows = order[start:start + batch_size]\n        optimizer.zero_grad()\n"
                               "        nn.MSELoss()(model(x[rows]), y[rows]).backward()\n        optimizer.step()\n"
                               "        n += 1\n    return n"), "Go through the batches in order"),
            "a fixed lr": (epoch("optimizer = optim.SGD(model.parameters(), lr=0.05)\n    n = 0\n"
                                 "    for start in range(0, len(x), batch_size):\n        optimizer.zero_grad()\n"
                                 "        nn.MSELoss()(model(x[start:start + batch_size]), "
                                 "y[start:start + batch_size]).backward()\n"
                                 "        optimizer.step()\n        n += 1\n    return n"), "with the lr argument"),
        },
    },
    "ex7_answer": {
        "correct": {
            "handles removed in a loop": order(
                "found = []\n    handles = []\n    for i, layer in enumerate(model):\n"
                "        if isinstance(layer, nn.Linear):\n"
                "            handles.append(layer.weight.register_hook(lambda grad, i=i: found.append(i)))\n"
                "    nn.MSELoss()(model(x), y).backward()\n    for h in handles:\n        h.remove()\n    return found"),
            "partial": order(
                "from functools import partial\n    found = []\n\n    def record(i, grad):\n        found.append(i)\n\n"
                "    handles = [m.weight.register_hook(partial(record, i)) for i, m in enumerate(model) "
                "if isinstance(m, nn.Linear)]\n"
                "    loss = nn.MSELoss()(model(x), y)\n    loss.backward()\n    [h.remove() for h in handles]\n"
                "    return found"),
            "post-accumulate hooks": order(
                "found = []\n    handles = [m.weight.register_post_accumulate_grad_hook(lambda p, i=i: found.append(i))\n"
                "               for i, m in enumerate(model) if isinstance(m, nn.Linear)]\n"
                "    nn.MSELoss()(model(x), y).backward()\n    for h in handles:\n        h.remove()\n    return found"),
        },
        "wrong": {
            "late-binding i": (order("found = []\n    handles = []\n    for i, m in enumerate(model):\n"
                                     "        if isinstance(m, nn.Linear):\n"
                                     "            handles.append(m.weight.register_hook(lambda grad: found.append(i)))\n"
                                     "    nn.MSELoss()(model(x), y).backward()\n    for h in handles:\n"
                                     "        h.remove()\n    return found"), "every hook recorded the same index"),
            "hooks left behind": (order("found = []\n    for i, m in enumerate(model):\n"
                                        "        if isinstance(m, nn.Linear):\n"
                                        "            m.weight.register_hook(lambda grad, i=i: found.append(i))\n"
                                        "    nn.MSELoss()(model(x), y).backward()\n    return found"),
                                  "The hooks of `backprop_order` are still attached"),
            "forward order": (order("return [i for i, m in enumerate(model) if isinstance(m, nn.Linear)]"),
                              "from the last layer back to the first"),
            "counted among Linear layers only": (order(
                "found = []\n    linears = [m for m in model if isinstance(m, nn.Linear)]\n"
                "    handles = [m.weight.register_hook(lambda grad, i=i: found.append(i)) for i, m in enumerate(linears)]\n"
                "    nn.MSELoss()(model(x), y).backward()\n    for h in handles:\n        h.remove()\n    return found"),
                "Record each Linear layer's position in the model"),
        },
    },
}
