# ines: deletes the docstrings, comments in shorthand
# %% ex1_answer
temperatures = torch.tensor([[30, 32, 33],
                             [29, 31, 34]])

adjustment = torch.tensor([[2] * 3] * 2)
adjusted = temperatures + adjustment
# %% ex2_answer
def numpy_to_tensor(array):
    return torch.from_numpy(array)
# %% ex3_answer
def describe(t):
    return t.ndim, t.shape, t.dtype, t.device
# %% ex4_answer
p = torch.tensor([[1, 2],
                  [3, 4]])
q = torch.tensor([[5, 6],
                  [7, 8]])

elementwise = p * q  # Hadamard
matrix_product = p @ q  # matmul
# %% ex5_answer
def customer_totals(quantities, prices):
    return quantities @ prices  # (c x p) @ (p x 1)
# %% ex6_answer
def average(t):
    return t.double().mean().float()
# %% ex7_answer
morning = torch.tensor([[12, 14, 11],
                        [10, 13, 12]])   # 2 days x 3 places
evening = torch.tensor([[18, 16],
                        [19, 17],
                        [15, 14]])       # 3 places x 2 days
try:
    evening - morning
except RuntimeError as err:
    print("RuntimeError:", err)


def temperature_change(morning, evening):
    """Return evening minus morning, shape (days, places); `evening` is stored as (places, days)."""
    return evening.T - morning
# %% ex8_answer
def neuron(inputs, weights, bias):
    return (inputs * weights).sum() + bias


def count_weights(sizes):
    pairs = zip(sizes[:-1], sizes[1:])
    return sum(x * y for x, y in pairs)
