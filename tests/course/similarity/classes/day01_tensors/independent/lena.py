# lena: prints dtypes and shapes as she goes
# %% ex1_answer
temperatures = torch.tensor([[30, 32, 33],
                             [29, 31, 34]])

adjustment = torch.full((2, 3), 2)
print(adjustment.dtype, adjustment.shape)
adjusted = temperatures + adjustment
print(adjusted)
# %% ex2_answer
def numpy_to_tensor(array):
    """Return a tensor that shares memory with the NumPy array `array`."""
    shared = torch.from_numpy(array)
    return shared
# %% ex3_answer
def describe(t):
    """Return (number of dimensions, shape, dtype, device) of the tensor `t`."""
    return t.ndim, t.shape, t.dtype, t.device
# %% ex4_answer
p = torch.tensor([[1, 2],
                  [3, 4]])
q = torch.tensor([[5, 6],
                  [7, 8]])

elementwise = p * q
matrix_product = p @ q
print(elementwise, matrix_product, sep="\n")
# %% ex5_answer
def customer_totals(quantities, prices):
    """Return the total bill of each customer: shape (customers, 1)."""
    return quantities @ prices
# %% ex6_answer
def average(t):
    """Return the mean of all elements of `t` as a 0-D float32 tensor."""
    floats = t.to(dtype=torch.float32)
    return floats.mean()
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
    """Return the weighted sum of `inputs` plus `bias`, as a 0-D tensor."""
    products = inputs * weights
    return products.sum() + bias


def count_weights(sizes):
    """Return the number of weights of a network with layer sizes `sizes` (inputs first, outputs last)."""
    layers = list(zip(sizes, sizes[1:]))
    return sum(a * b for a, b in layers)
